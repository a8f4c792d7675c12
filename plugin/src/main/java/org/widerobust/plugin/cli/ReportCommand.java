package org.widerobust.plugin.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.widerobust.plugin.report.Findings;
import org.widerobust.plugin.report.HtmlReport;
import org.widerobust.plugin.report.StudyCharts;
import org.widerobust.plugin.report.StudyResults;

/**
 * {@code widerobust report --in DIR… --out DIR}: merges the results of a study's sweep directories (shards) and
 * writes {@code report.html} (findings, charts, table), the charts as PNG, and the merged {@code results.csv} and
 * {@code results.json}.
 */
final class ReportCommand implements Command {
    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "merge sweep shards and write report.html with charts and findings";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("in").hasArgs().argName("DIR...").required()
                        .desc("sweep output directories (shards) to merge").build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR").required()
                        .desc("where report.html, charts/ and the merged results go").build());
    }

    @Override
    public List<String> outputDirectories() {
        return List.of("out");
    }

    @Override
    public int run(CommandLine line) {
        Path out = Path.of(line.getOptionValue("out"));
        List<Path> in = Arrays.stream(line.getOptionValues("in")).map(Path::of).toList();
        Path file = write(in, out);
        System.out.println("wrote " + file.toAbsolutePath());
        return 0;
    }

    /**
     * Merges, draws and writes; prints the findings; returns the report file.
     *
     * @throws CliException for unusable inputs or an output that cannot be written (one line)
     */
    static Path write(List<Path> in, Path out) {
        try {
            java.nio.file.Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new CliException("--out " + out + ": " + org.widerobust.adapters.files.AtomicFiles.reason(e), e);
        }
        StudyResults results;
        try {
            results = StudyResults.merge(in);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CliException(e.getMessage(), e);
        }
        List<Findings.Finding> findings = Findings.of(results.table().points());
        List<StudyCharts.Drawn> charts = StudyCharts.draw(results);
        Path file;
        try {
            file = HtmlReport.write(results, findings, charts, out);
        } catch (java.io.UncheckedIOException e) {
            throw new CliException(e.getMessage(), e);
        }
        if (!results.missing().isEmpty()) {
            System.err.println("widerobust report: warning: " + HtmlReport.missingNote(results.missing()));
        }
        String checkpoints = HtmlReport.checkpointNote(results.table().points());
        if (checkpoints != null) {
            System.out.println("Checkpoints: " + checkpoints);
        }
        System.out.println("Findings (" + results.table().points().size() + " points):");
        for (int i = 0; i < findings.size(); i++) {
            Findings.Finding f = findings.get(i);
            System.out.println("  " + (i + 1) + ". " + f.claim() + " — " + f.verdict().words());
            f.details().forEach(d -> System.out.println("       " + d));
        }
        return file;
    }
}
