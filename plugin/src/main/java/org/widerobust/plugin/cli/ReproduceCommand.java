package org.widerobust.plugin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.widerobust.datasets.DataSpec;
import org.widerobust.plugin.sweep.ResultsTable;
import org.widerobust.plugin.sweep.StudyPreset;

/**
 * {@code widerobust reproduce --preset quick|full|cifar10-wrn --out DIR}: a named study end to end — the sweep (with
 * a progress bar and ETA over the whole study), then the report — ending with the path of {@code report.html} and
 * the findings. Installs nothing: missing data is a clear error saying what to install.
 */
final class ReproduceCommand implements Command {
    @Override
    public String afterInterrupt() {
        return "; the same command continues the study (finished points are kept, an interrupted point resumes "
                + "from its checkpoint)";
    }

    @Override
    public String name() {
        return "reproduce";
    }

    @Override
    public String summary() {
        return "run a named study end to end (sweep, then report): quick, full, cifar10-wrn";
    }

    @Override
    public Options options() {
        StringBuilder presets = new StringBuilder();
        for (StudyPreset p : StudyPreset.values()) {
            presets.append(presets.length() == 0 ? "" : "; ").append(p.id()).append(": ").append(p.description());
        }
        return new Options()
                .addOption(Option.builder().longOpt("preset").hasArg().argName("NAME").required()
                        .desc(presets.toString()).build())
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR").required()
                        .desc("study directory; run again to resume").build())
                .addOption(Option.builder().longOpt("data").hasArg().argName("SPEC")
                        .desc("data spec instead of the preset's (default: the preset's; cifar10-wrn needs cifar10:DIR)").build())
                .addOption(Option.builder().longOpt("device").hasArg().argName("DEV")
                        .desc("auto (default), cpu, cuda or cuda:N").build())
                .addOption(Option.builder().longOpt("threads").hasArg().argName("T")
                        .desc("compute threads (default: all cores)").build())
                .addOption(Option.builder().longOpt("dry-run").desc("print the study's points and stop").build());
    }

    @Override
    public int run(CommandLine line) {
        StudyPreset preset;
        try {
            preset = StudyPreset.parse(line.getOptionValue("preset"));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        String data = line.getOptionValue("data", preset.data());
        if (data == null) {
            throw new CliException("--preset " + preset.id() + " needs --data, e.g. --data cifar10:/data/cifar-10-"
                    + "batches-bin (the binary CIFAR-10 from https://www.cs.toronto.edu/~kriz/cifar.html)");
        }
        checkData(preset, data);
        Path out = Path.of(line.getOptionValue("out"));
        if (!line.hasOption("dry-run")) {
            // checked here, not by outputDirectories(), which would create the directory on a dry run
            Args.outputDirectory(line, "out");
        }
        List<String> sweep = new ArrayList<>();
        sweep.add("sweep");
        sweep.addAll(preset.sweepArgs(data, out.toString()));
        for (String o : List.of("device", "threads")) {
            if (line.hasOption(o)) {
                sweep.add("--" + o);
                sweep.add(line.getOptionValue(o));
            }
        }
        if (line.hasOption("dry-run")) {
            sweep.add("--dry-run");
        }
        System.out.println("widerobust reproduce: " + preset.id() + " — " + preset.description());
        System.out.println("  = widerobust " + String.join(" ", sweep));
        int rc = Main.standard().run(sweep.toArray(String[]::new));
        if (line.hasOption("dry-run") || rc == 2) {
            return rc;
        }
        if (!Files.exists(out.resolve(ResultsTable.JSON))) {
            throw new CliException("the sweep finished no point; see the logs in " + out.resolve("logs"));
        }
        Path report = ReportCommand.write(List.of(out), out);
        System.out.println("report: " + report.toAbsolutePath());
        if (rc != 0) {
            System.out.println("Some points failed (listed above); run the same command again to retry them.");
        }
        return rc;
    }

    /** Fashion-MNIST presets check the Debian package's files up front, so nothing is attempted without data. */
    private static void checkData(StudyPreset preset, String data) {
        if (!data.trim().equalsIgnoreCase("fashion-mnist")) {
            return;
        }
        Path dir = Path.of(DataSpec.FASHION_MNIST_DIR);
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new CliException("--preset " + preset.id() + " needs Fashion-MNIST, and " + dir.resolve(f)
                        + " is missing. Install it with: sudo apt-get install dataset-fashion-mnist (or give "
                        + "--data idx:DIR with the four IDX files). Nothing was installed.");
            }
        }
    }
}
