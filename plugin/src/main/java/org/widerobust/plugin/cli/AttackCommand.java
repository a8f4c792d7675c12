package org.widerobust.plugin.cli;

import java.nio.file.Path;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code widerobust attack}: as {@code evaluate}, and with {@code --save DIR} writes the worst-case adversarial
 * examples as NumPy, IDX and a PNG grid (see {@link AdversarialWriter}).
 */
final class AttackCommand implements Command {
    @Override
    public String name() {
        return "attack";
    }

    @Override
    public String summary() {
        return "attack a model and save the adversarial examples (npy, IDX, PNG grid)";
    }

    @Override
    public Options options() {
        Options o = EvaluationOptions.define();
        o.addOption(Option.builder().longOpt("save").hasArg().argName("DIR")
                .desc("write adversarial examples to DIR, a new or empty directory (default: none)").build());
        o.addOption(Option.builder().longOpt("overwrite")
                .desc("replace what DIR of --save holds (written as a whole: nothing of the old is kept)").build());
        return o;
    }

    @Override
    public java.util.List<String> outputFiles() {
        return java.util.List.of("json");
    }

    @Override
    public java.util.List<String> outputDirectories() {
        return java.util.List.of("save");
    }

    @Override
    public String replacedDirectory(CommandLine line) {
        return line.hasOption("overwrite") ? "save" : null;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        EvaluationOptions o = EvaluationOptions.parse(line);
        if (line.hasOption("overwrite") && !line.hasOption("save")) {
            throw new CliException("--overwrite applies to --save DIR, which is not given");
        }
        if (line.hasOption("save") && !line.hasOption("overwrite")) {
            requireEmpty(Path.of(line.getOptionValue("save")));
        }
        EvaluationRunner.Run run = EvaluationRunner.run(o, "attack", line.hasOption("save"));
        System.out.print(ResultTable.format(run, o));
        if (o.json() != null) {
            JsonReport.write(JsonReport.build(name(), run, o), o.json());
            System.out.println("wrote " + o.json());
        }
        if (line.hasOption("save")) {
            Path dir = Path.of(line.getOptionValue("save"));
            var files = AdversarialWriter.write(dir, run.evaluation().examples(), run.data().data(),
                    run.inputBounds());
            System.out.println("wrote " + files.size() + " files to " + dir);
        }
        return 0;
    }

    /** Refuses a --save directory that already holds files (an earlier attack's), before the attack runs. */
    private static void requireEmpty(Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try (var entries = java.nio.file.Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new CliException("--save " + dir + " already holds files (an earlier attack's?); give a new "
                        + "or empty directory, or add --overwrite to replace them");
            }
        }
    }
}
