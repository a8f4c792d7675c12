package org.widerobust.plugin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.widerobust.datasets.DataSpec;
import org.widerobust.plugin.train.RunDirectory;

/**
 * The one check that no output of a command destroys what the command reads or what a training run keeps, made
 * before any work. Paths are compared as the system resolves them ({@link #real}: links followed before {@code ..}),
 * so no spelling of a path (relative, {@code ..}, a link to it) slips through.
 * <ul>
 *   <li>The inputs: {@code --model}, {@code --war-reference} and {@code --in} (files or directories), and the
 *   directory of {@code --data} (a Fashion-MNIST, IDX or CIFAR directory).</li>
 *   <li>An output file may not be an input, nor an existing file inside an input directory (other than a run's
 *   directory, where a report may be rewritten beside the run's files), nor one of a training
 *   run's own files ({@link RunDirectory#ALL_RUN_FILES}: {@code model.onnx}, {@code train.json}, its checkpoint, ...)
 *   in a directory that holds a run.</li>
 *   <li>A directory written into may be an input only when it is the only one ({@code report --in S --out S}
 *   rewrites S's own results); a report of several shards written into one of them would mix the others' results
 *   into it.</li>
 *   <li>A directory replaced as a whole ({@code attack --save DIR}) may not be or hold an input, nor hold another
 *   output of the same command.</li>
 *   <li>No output file may write a study's results files ({@code results.json}, {@code results.csv},
 *   {@code report.html}); its points are training runs, covered above.</li>
 * </ul>
 */
final class OutputGuard {
    /** Options that name files or directories a command reads. */
    static final List<String> INPUT_OPTIONS = List.of("model", "war-reference", "in");

    private OutputGuard() {}

    /**
     * Checks a command's outputs against its inputs.
     *
     * @param files              options naming output files
     * @param directories        options naming directories written into
     * @param replacedDirectory  an option naming a directory replaced as a whole, or null
     * @throws CliException naming the output and what it would destroy
     */
    static void check(CommandLine line, List<String> files, List<String> directories, String replacedDirectory) {
        List<Path> inputs = inputs(line);
        for (String o : files) {
            String v = line.getOptionValue(o);
            if (v != null) {
                checkFile(o, v, inputs);
            }
        }
        for (String o : directories) {
            String v = line.getOptionValue(o);
            if (v != null && !o.equals(replacedDirectory)) {
                Path d = real(Path.of(v));
                if (inputs.contains(d) && inputs.stream().anyMatch(in -> !in.equals(d))) {
                    throw new CliException("--" + o + " " + v + " is also one of this command's inputs, and the "
                            + "others' results would be written into it; write into another directory");
                }
                if (!inputs.contains(d) && (isRunDirectory(d) || isStudy(d))) {
                    throw new CliException("--" + o + " " + v + " holds " + (isRunDirectory(d) ? "a training run"
                            : "another study's results") + ", which this command would overwrite; write into "
                            + "another directory");
                }
            }
        }
        String v = replacedDirectory == null ? null : line.getOptionValue(replacedDirectory);
        if (v != null) {
            Path d = real(Path.of(v));
            for (Path in : inputs) {
                if (in.startsWith(d)) {
                    throw new CliException("--" + replacedDirectory + " " + v + " holds " + in + ", which this command "
                            + "reads, and is replaced as a whole; choose another directory");
                }
            }
            for (String o : files) {
                String f = line.getOptionValue(o);
                if (f != null && real(Path.of(f)).startsWith(d)) {
                    throw new CliException("--" + o + " " + f + " lies in --" + replacedDirectory + " " + v + ", which "
                            + "is replaced as a whole after it is written; write it elsewhere");
                }
            }
        }
    }

    private static void checkFile(String option, String value, List<Path> inputs) {
        Path f = real(Path.of(value));
        for (Path in : inputs) {
            boolean same = f.equals(in);
            // in a run's directory only the run's own files are protected (below): a report beside them is fine
            boolean inside = !same && f.startsWith(in) && Files.isDirectory(in) && Files.exists(f)
                    && !isRunDirectory(in);
            if (same || inside) {
                throw new CliException("--" + option + " " + value + " would overwrite " + (same ? "" : "a file in ")
                        + in + ", which this command reads; choose another output path");
            }
        }
        for (Path run = f.getParent(); run != null && f.getNameCount() - run.getNameCount() <= 2;
                run = run.getParent()) {
            if (isRunDirectory(run) && RunDirectory.ALL_RUN_FILES.contains(run.relativize(f).toString())) {
                throw new CliException("--" + option + " " + value + " would write " + run.relativize(f) + ", one of "
                        + "the training run's own files in " + run + "; choose another output path");
            }
        }
        // a study's results (its points are training runs, covered above; a sweep writes each point's evaluation
        // through this same check)
        if (isStudy(f.getParent()) && STUDY_FILES.contains(f.getFileName().toString())) {
            throw new CliException("--" + option + " " + value + " would write into the study in " + f.getParent()
                    + " (" + f.getFileName() + "); choose another output path");
        }
    }

    /** The files at the top of a study directory that only sweep and report write. */
    private static final java.util.Set<String> STUDY_FILES = java.util.Set.of("results.json", "results.csv",
            "report.html");

    /** Whether a directory holds a sweep's study: its points/ (a killed study may have no results.json yet). */
    static boolean isStudy(Path dir) {
        return dir != null && Files.isDirectory(dir.resolve("points"));
    }

    /** Whether a directory holds a training run (its lock file or its train.json). */
    static boolean isRunDirectory(Path dir) {
        return dir != null && (Files.exists(dir.resolve(RunDirectory.LOCK_FILE))
                || Files.exists(dir.resolve("train.json")));
    }

    /** The command's inputs, resolved. */
    static List<Path> inputs(CommandLine line) {
        List<Path> out = new ArrayList<>();
        for (String o : INPUT_OPTIONS) {
            String[] values = line.getOptionValues(o);
            if (values != null) {
                for (String v : values) {
                    out.add(real(Path.of(v)));
                }
            }
        }
        String data = line.getOptionValue("data");
        if (data != null) {
            try {
                Path d = DataSpec.parse(data).directory();
                if (d != null) {
                    out.add(real(d));
                }
            } catch (RuntimeException unparsable) {
                // the command reports a bad --data itself
            }
        }
        return out;
    }

    /** The path as the operating system resolves it ({@link org.widerobust.adapters.files.AtomicFiles#resolve}). */
    static Path real(Path p) {
        return org.widerobust.adapters.files.AtomicFiles.resolve(p);
    }
}
