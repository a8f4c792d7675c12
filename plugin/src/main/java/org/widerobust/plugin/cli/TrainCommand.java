package org.widerobust.plugin.cli;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.datasets.DataSpec;
import org.widerobust.descriptors.network.Families;
import org.widerobust.plugin.report.JsonReports;
import org.widerobust.plugin.train.AdversarialTrainer;
import org.widerobust.plugin.train.Checkpoint;
import org.widerobust.plugin.train.CheckpointException;
import org.widerobust.plugin.train.RunDirectory;
import org.widerobust.plugin.train.RunDirectoryException;
import org.widerobust.plugin.train.TrainingLeg;
import org.widerobust.plugin.train.TrainingListener;
import org.widerobust.plugin.train.EpochSummary;
import org.widerobust.plugin.train.TrainingDivergedException;
import org.widerobust.plugin.train.TrainingResult;

/**
 * {@code widerobust train}: adversarial training of a network family member; writes {@code model.onnx},
 * {@code model.tribuo}, {@code train.json}, {@code train-batches.jsonl}, {@code checkpoints/} and with {@code --val}
 * {@code best.onnx} and {@code best.tribuo} into {@code --out}. λ rule, validation, schedule and Nesterov options:
 * {@link ObjectiveOptions}.
 */
final class TrainCommand implements Command {
    @Override
    public String afterInterrupt() {
        return "; the same command with --resume continues from the last checkpoint (--checkpoint-every N "
                + "checkpoints within epochs; a run stopped before its first checkpoint starts again without "
                + "--resume)";
    }

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a network (natural, PGD or TRADES) and write model.onnx, model.tribuo, train.json";
    }

    @Override
    public Options options() {
        return ObjectiveOptions.add(new Options())
                .addOption(opt("arch", "FAMILY", "network family: " + Families.HELP).required().build())
                .addOption(opt("width", "K", "width factor (default 1, or 10 for wrn)").build())
                .addOption(opt("data", "SPEC", "fashion-mnist, idx:DIR, cifar10:DIR, cifar100:DIR, synthetic[:N]")
                        .required().build())
                .addOption(opt("split", "SPLIT", "split to train on (default train)").build())
                .addOption(opt("limit", "N", "use only the first N examples (default: all)").build())
                .addOption(opt("method", "M", "trades (default), pgd or natural").build())
                .addOption(opt("eps", "E", "L-inf radius (default 0.1 for 1-channel data, 8/255 otherwise)").build())
                .addOption(opt("lambda", "L", "lambda0 of R_nat + lambda * R_rob (default 6 for trades, 1 = Madry for "
                        + "pgd)").build())
                .addOption(opt("steps", "S", "attack steps (default 10)").build())
                .addOption(opt("step-size", "A", "attack step size (default eps/10 for 1-channel data, eps/4 "
                        + "otherwise)").build())
                .addOption(opt("epochs", "E", "epochs (default 10)").build())
                .addOption(opt("batch", "B", "batch size (default 128)").build())
                .addOption(opt("lr", "LR", "initial learning rate (default 0.01; x0.1 at 75%, x0.01 at 90%)").build())
                .addOption(opt("weight-decay", "WD", "weight decay (default 2e-4)").build())
                .addOption(opt("seed", "S", "seed (default 1)").build())
                .addOption(Option.builder().longOpt("augment").desc("random crop and flip (CIFAR-shaped data)").build())
                .addOption(opt("device", "DEV", "auto, cpu, cuda or cuda:N (default auto)").build())
                .addOption(opt("threads", "T", "compute threads, 0 for all cores (default 0)").build())
                .addOption(opt("out", "DIR", "output directory; refused if it holds another run, unless --resume "
                        + "or --overwrite").required().build())
                .addOption(Option.builder().longOpt("resume").desc("continue the run in --out from its checkpoint")
                        .build())
                .addOption(Option.builder().longOpt("overwrite").desc("replace the run in --out (its checkpoint, "
                        + "model and report are deleted)").build())
                .addOption(opt("checkpoint-every", "N", "also checkpoint every N batches (default: per epoch)")
                        .build())
                .addOption(Option.builder().longOpt("quiet").desc("no progress display").build());
    }

    private static Option.Builder opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc);
    }

    /** The {@code @Config} fields of {@link AdversarialTrainer} and the flags that set them, for error messages. */
    static final Map<String, String> FLAGS = Map.ofEntries(Map.entry("family", "arch"), Map.entry("width", "width"),
            Map.entry("method", "method"), Map.entry("epsilon", "eps"), Map.entry("attackSteps", "steps"),
            Map.entry("stepSize", "step-size"), Map.entry("lambda", "lambda"), Map.entry("epochs", "epochs"),
            Map.entry("batchSize", "batch"), Map.entry("learningRate", "lr"),
            Map.entry("weightDecay", "weight-decay"), Map.entry("seed", "seed"), Map.entry("augment", "augment"),
            Map.entry("checkpointEvery", "checkpoint-every"), Map.entry("device", "device"),
            Map.entry("threads", "threads"), Map.entry("lambdaRule", "war"), Map.entry("validationExamples", "val"),
            Map.entry("validationSteps", "val-steps"), Map.entry("learningRateSchedule", "lr-schedule"),
            Map.entry("nesterov", "nesterov"));
    /** {@code @Config} fields of {@link AdversarialTrainer} that no flag sets. */
    static final java.util.Set<String> NOT_FLAGS = java.util.Set.of("network", "momentum", "checkpointDir",
            "progress", "inputDomain", "featureBounds", "imageConverter", "batchLog");

    @Override
    public int run(CommandLine line) throws IOException {
        if (line.hasOption("resume") && line.hasOption("overwrite")) {
            throw new CliException("--resume and --overwrite exclude each other");
        }
        if ("natural".equalsIgnoreCase(line.getOptionValue("method", "trades").trim())) {
            // --eps and --step-size stay: the per-epoch validation (--val) attacks with them
            for (String o : new String[] {"lambda", "steps", "war"}) {
                if (line.hasOption(o)) {
                    throw new CliException("--" + o + " applies only to --method pgd or trades (natural training "
                            + "has no training attack and no lambda)");
                }
            }
        }
        if (line.hasOption("war-reference") && OutputGuard.real(Path.of(line.getOptionValue("war-reference")))
                .startsWith(OutputGuard.real(Path.of(line.getOptionValue("out"))))) {
            throw new CliException("--war-reference " + line.getOptionValue("war-reference") + " lies in --out "
                    + line.getOptionValue("out") + ", where this run writes its own model; the reference is a "
                    + "narrower run in a directory of its own");
        }
        RunDirectory.Mode mode = line.hasOption("resume") ? RunDirectory.Mode.RESUME
                : line.hasOption("overwrite") ? RunDirectory.Mode.OVERWRITE : RunDirectory.Mode.FRESH;
        String arch = line.getOptionValue("arch");
        double width = Args.doubleValue(line, "width", arch.trim().toLowerCase().startsWith("wrn") ? 10 : 1);
        Args.threads(line);
        RunDirectory dir;
        try {
            dir = RunDirectory.open(Path.of(line.getOptionValue("out")), mode,
                    note -> System.err.println("widerobust train: " + note));
        } catch (RunDirectoryException e) {
            throw new CliException(e.getMessage().startsWith("--") ? e.getMessage() : "--out " + e.getMessage(), e);
        }
        try (dir) {
            return train(line, dir, arch, width, mode == RunDirectory.Mode.RESUME);
        }
    }

    private int train(CommandLine line, RunDirectory dir, String arch, double width, boolean resume)
            throws IOException {
        Path out = dir.path();
        DenseDataset data;
        try {
            data = DataSpec.load(line.getOptionValue("data"), line.getOptionValue("split", "train"),
                    Args.intValue(line, "limit", -1));
        } catch (RuntimeException e) {
            throw new CliException("--data " + line.getOptionValue("data") + ": " + e.getMessage(), e);
        }
        boolean gray = data.exampleShape().length == 3 && data.exampleShape()[0] == 1;
        AdversarialTrainer trainer;
        try {
            trainer = configure(line, gray, out, width)
                    .checkpointDir(dir.checkpointDirectory())
                    .progress(!line.hasOption("quiet"))
                    .build();
        } catch (PropertyException e) {
            throw Args.configError(e, FLAGS);
        } catch (IllegalArgumentException e) {
            // the network is built from both options, so the message names both
            throw new CliException("--arch " + arch + (line.hasOption("width") ? " --width "
                    + line.getOptionValue("width") : "") + ": " + e.getMessage(), e);
        }
        if (resume && finished(out, Args.intValue(line, "epochs", 10))) {
            try {
                trainer.requireSameConfiguration(dir.checkpoint(), data);
            } catch (CheckpointException e) {
                throw new CliException("--resume: " + out + " holds a finished run; " + e.getMessage()
                        + (e.unusable() ? "; the run is finished (its models and train.json are written), so nothing "
                        + "needs resuming" : ""), e);
            }
            System.err.println("widerobust train: " + out + " holds a finished run of " + line.getOptionValue(
                    "epochs", "10") + " epochs of this configuration (its models and train.json are written); "
                    + "nothing to resume, nothing changed");
            return 0;
        }
        trainer.listener(new TrainingListener() {
            @Override
            public void resumed(Path checkpoint, Checkpoint.Position from) {
                System.err.println("widerobust train: " + TrainingListener.resumeMessage(checkpoint, from));
            }

            @Override
            public void epochFinished(EpochSummary e) {
                System.out.println(format(e));
                System.out.flush();
            }

            @Override
            public void validationStarted(int epoch, int examples, String attack) {
                if (!line.hasOption("quiet")) {
                    System.err.println("widerobust train: " + TrainingListener.validationMessage(epoch, examples,
                            attack));
                }
            }

            @Override
            public void warning(String message) {
                System.err.println("widerobust train: warning: " + message);
            }
        });
        try (Engine engine = Args.engine(line)) {
            System.err.printf("widerobust train: %s on %s (%d examples) on %s%n", trainer, data.description(),
                    data.size(), engine.deviceDescription());
            TrainingResult r;
            try {
                dir.discardPreviousRun();
                r = trainer.trainDense(data, engine, resume);
            } catch (CheckpointException e) {
                throw new CliException(e.getMessage() + (e.unusable() ? "; it cannot be resumed: --overwrite starts "
                        + "the run again" : ""), e);
            } catch (TrainingDivergedException | RunDirectoryException e) {
                throw new CliException(e.getMessage(), e);
            }
            r.model().toOnnx(out.resolve("model.onnx"));
            r.model().save(out.resolve("model.tribuo"));
            if (r.bestModel() != null) {
                r.bestModel().toOnnx(out.resolve("best.onnx"));
                r.bestModel().save(out.resolve("best.tribuo"));
            }
            JsonReports.write(out.resolve("train.json"), report(trainer, data, r));
            System.out.printf("wrote %s, %s, %s (%.1f examples/s)%n", out.resolve("model.onnx"),
                    out.resolve("model.tribuo"), out.resolve("train.json"), r.examplesPerSecond());
            if (r.bestModel() != null) {
                System.out.printf("wrote %s, %s: the best validation robust accuracy, epoch %d of %d%n",
                        out.resolve("best.onnx"), out.resolve("best.tribuo"), r.bestModel().history().size(),
                        r.model().history().size());
            }
        }
        return 0;
    }

    /**
     * Whether {@code out} holds a run that finished {@code epochs} epochs and wrote its outputs. Resuming it would
     * only rewrite them (with a leg that trained nothing), so {@code --resume} leaves it alone; a run killed after its
     * last checkpoint but before its outputs were written still resumes, and writes them.
     */
    private static boolean finished(Path out, int epochs) {
        Path report = out.resolve("train.json");
        if (!Files.isRegularFile(report) || !Files.isRegularFile(out.resolve("model.onnx"))
                || !Files.isRegularFile(out.resolve("model.tribuo"))) {
            return false;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode done = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(report.toFile()).path("epochs");
            return done.isArray() && done.size() >= epochs;
        } catch (IOException unreadable) {
            return false; // a damaged report: resuming rewrites it
        }
    }

    /**
     * The one home of turning {@code train}'s options into a trainer (the sweep validates its points through it):
     * everything but where the run writes and whether it shows progress.
     *
     * @param gray  whether the data are 1-channel images (the defaults of ε and the step size depend on it)
     * @param out   the run's output directory (the per-batch log goes there)
     * @param width the width factor
     */
    static AdversarialTrainer.Builder configure(CommandLine line, boolean gray, Path out, double width) {
        double eps = Args.doubleValue(line, "eps", gray ? 0.1 : 8 / 255.0);
        return ObjectiveOptions.apply(line, AdversarialTrainer.builder(), out)
                .network(Families.create(line.getOptionValue("arch"), width))
                .method(line.getOptionValue("method", "trades"))
                .epsilon(eps)
                .attackSteps(Args.intValue(line, "steps", 10))
                .stepSize(Args.doubleValue(line, "step-size", gray ? eps / 10 : eps / 4))
                .lambda(Args.doubleValue(line, "lambda", ObjectiveOptions.defaultLambda(line)))
                .epochs(Args.intValue(line, "epochs", 10))
                .batchSize(Args.intValue(line, "batch", 128))
                .learningRate(Args.doubleValue(line, "lr", 0.01))
                .weightDecay(Args.doubleValue(line, "weight-decay", 2e-4))
                .seed(Args.longValue(line, "seed", 1))
                .augment(line.hasOption("augment"))
                .checkpointEvery(Args.intValue(line, "checkpoint-every", 0));
    }

    private static String format(EpochSummary e) {
        return String.format(java.util.Locale.ROOT, "epoch %d  lr %.5f  loss %.4f  clean %.4f  adv %s  %.1f ex/s",
                e.epoch(), e.learningRate(), e.loss(), e.cleanAccuracy(),
                Double.isNaN(e.adversarialAccuracy()) ? "-" : String.format(java.util.Locale.ROOT, "%.4f",
                        e.adversarialAccuracy()), e.examplesPerSecond()) + ObjectiveOptions.format(e);
    }

    private static Map<String, Object> report(AdversarialTrainer trainer, DenseDataset data, TrainingResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", trainer.settings());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("description", data.description());
        d.put("examples", data.size());
        d.put("example_shape", data.exampleShape());
        d.put("classes", data.labelNames());
        m.put("data", d);
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochSummary e : r.epochs()) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("epoch", e.epoch());
            em.put("learning_rate", e.learningRate());
            em.put("loss", e.loss());
            em.put("clean_batch_accuracy", e.cleanAccuracy());
            em.put("adversarial_batch_accuracy", Double.isNaN(e.adversarialAccuracy()) ? null
                    : e.adversarialAccuracy());
            em.put("examples", e.examples());
            em.put("seconds", e.seconds());
            em.put("examples_per_s", e.examplesPerSecond());
            em.putAll(ObjectiveOptions.epochFields(e));
            epochs.add(em);
        }
        m.put("epochs", epochs);
        m.put("seconds", r.seconds());
        m.put("examples_trained", r.examples());
        m.put("examples_per_s", r.examplesPerSecond());
        m.put("device", r.device());
        m.put("parameter_pass", r.parameterPass());
        m.put("resumed_from", r.resumedFrom());
        List<Map<String, Object>> legs = new ArrayList<>();
        long allExamples = 0;
        double allSeconds = 0;
        for (TrainingLeg l : r.legs()) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("leg", l.leg());
            lm.put("started_at", l.startedAt());
            lm.put("device", l.device());
            lm.put("from_epoch", l.fromEpoch());
            lm.put("from_batch", l.fromBatch());
            lm.put("examples", l.examples());
            lm.put("seconds", l.seconds());
            lm.put("examples_per_s", l.examplesPerSecond());
            legs.add(lm);
            allExamples += l.examples();
            allSeconds += l.seconds();
        }
        m.put("legs", legs);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("legs", legs.size());
        all.put("examples", allExamples);
        all.put("seconds", allSeconds);
        m.put("all_legs", all);
        m.put("batch_log", ObjectiveOptions.BATCH_LOG);
        m.put("validation_examples", r.validationExamples());
        if (r.bestModel() != null) {
            m.put("best", Map.of("epoch", r.bestEpoch(), "onnx", "best.onnx", "tribuo", "best.tribuo",
                    "val_robust_accuracy", r.epochs().get(r.bestEpoch() - 1).valRobustAccuracy()));
        }
        m.put("network", r.model().network().toString());
        m.put("parameters", r.model().network().parameterCount());
        m.put("provenance", ProvenanceUtil.convertToMap(r.model().getProvenance()));
        return m;
    }
}
