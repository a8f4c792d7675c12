package org.widerobust.plugin.cli;

import java.nio.file.Path;
import java.util.List;

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
        return "save"; // written as a whole (AdversarialWriter), also when new or empty
    }

    @Override
    public int run(CommandLine line) throws Exception {
        EvaluationOptions o = EvaluationOptions.parse(line);
        if (line.hasOption("overwrite") && !line.hasOption("save")) {
            throw new CliException("--overwrite applies to --save DIR, which is not given");
        }
        if (!line.hasOption("save")) {
            return attack(line, o, null);
        }
        // one attack at a time writes a save directory: a second, started before the first wrote, would replace it
        // without --overwrite or collide with its staging (a field report)
        Path dir = Path.of(line.getOptionValue("save"));
        Path resolved = org.widerobust.adapters.files.AtomicFiles.resolve(dir);
        Path lockFile = resolved.resolveSibling("." + resolved.getFileName() + ".save.lock");
        java.nio.file.Files.createDirectories(lockFile.getParent());
        try (org.widerobust.plugin.train.ProcessLock lock = org.widerobust.plugin.train.ProcessLock.tryAcquire(
                lockFile)) {
            if (lock == null) {
                throw new CliException("--save " + dir + " is being written by another attack ("
                        + org.widerobust.plugin.train.RunDirectory.holder(lockFile) + "); wait for it or save "
                        + "elsewhere");
            }
            try {
                requireEmptyOrSave(dir, line.hasOption("overwrite"));
                return attack(line, o, dir);
            } finally {
                java.nio.file.Files.deleteIfExists(lockFile);
            }
        }
    }

    private int attack(CommandLine line, EvaluationOptions o, Path dir) throws Exception {
        EvaluationRunner.Run run = EvaluationRunner.run(o, "attack", dir != null);
        System.out.print(ResultTable.format(run, o));
        if (o.json() != null) {
            JsonReport.write(JsonReport.build(name(), run, o), o.json());
            System.out.println("wrote " + o.json());
        }
        if (dir != null) {
            double linfEps = o.attackOptions().norm() == org.widerobust.plugin.attack.Norm.LINF
                    ? o.attackOptions().eps() : Double.NaN;
            var files = AdversarialWriter.write(dir, run.evaluation().examples(), run.data().data(),
                    run.inputBounds(), linfEps);
            System.out.println("wrote " + files.size() + " files to " + dir);
        }
        return 0;
    }

    /**
     * Before the attack runs: a --save directory that holds files is refused, and with --overwrite one that holds
     * anything but an earlier save's files ({@link AdversarialWriter#isSaveEntry}), since --overwrite replaces the
     * whole directory: a run, a study or a home directory given by mistake must never be deleted.
     */
    private static void requireEmptyOrSave(Path save, boolean overwrite) throws java.io.IOException {
        Path dir = OutputGuard.real(save); // where the write lands: a link's target
        if (!java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        List<String> entries;
        try (var s = java.nio.file.Files.walk(dir)) {
            entries = s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
        if (entries.isEmpty()) {
            return;
        }
        if (!overwrite) {
            throw new CliException("--save " + save + " already holds files (an earlier attack's?); give a new "
                    + "or empty directory, or add --overwrite to replace an earlier save");
        }
        List<String> foreign = entries.stream().filter(n -> !AdversarialWriter.isSaveEntry(n)).toList();
        if (!foreign.isEmpty()) {
            throw new CliException("--save " + save + " holds " + foreign.subList(0, Math.min(3, foreign.size()))
                    + (foreign.size() > 3 ? " and more" : "") + ", which no attack --save wrote; --overwrite replaces "
                    + "only an earlier save as a whole, so give another directory");
        }
    }
}
