package org.widerobust.plugin.cli;

import java.nio.file.Path;
import java.util.Locale;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.attack.Norm;

/**
 * The options shared by {@code evaluate} and {@code attack}, and their validated values.
 *
 * @param model       the model file
 * @param data        the data spec
 * @param split       train or test
 * @param limit       first N examples, or -1 for all
 * @param attacks     comma-separated attack names
 * @param attackOptions eps, norm, each family's budget (PGD steps, APGD and FAB iterations, Square queries), step
 *                    size, restarts, random start, early stop
 * @param lipschitz   whether to estimate the local Lipschitz constant
 * @param lipschitzSteps its ascent steps
 * @param lipschitzEps the radius of its L-inf ball, or 0 for the largest L-inf attack budget
 * @param batch       examples per batch
 * @param device      where to run
 * @param threads     ONNX Runtime threads (0 = all cores)
 * @param seed        seed of the attacks' randomness
 * @param json        where to write the JSON report, or null
 * @param output      the ONNX graph output holding the logits, or null to choose it automatically
 */
record EvaluationOptions(Path model, String data, String split, int limit, String attacks,
                         AttackOptions attackOptions, boolean lipschitz, int lipschitzSteps, double lipschitzEps,
                         int batch, DeviceSpec device, int threads, long seed, Path json, String output) {

    /** The option definitions. */
    static Options define() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("model").hasArg().argName("FILE").required()
                .desc("the classifier: an .onnx file (white-box) or a Tribuo model file").build());
        o.addOption(Option.builder().longOpt("data").hasArg().argName("SPEC").required()
                .desc("fashion-mnist, idx:DIR, cifar10:DIR, cifar100:DIR, synthetic[:N]").build());
        o.addOption(Option.builder().longOpt("split").hasArg().argName("SPLIT").desc("train or test (default test)")
                .build());
        o.addOption(Option.builder().longOpt("limit").hasArg().argName("N").desc("use the first N examples (default: all)").build());
        o.addOption(Option.builder().longOpt("attack").hasArg().argName("NAME[,NAME...]").required()
                .desc("attacks to run, as one comma-separated list (the worst case is over all): " + String.join(", ", Attacks.names())
                        + " (autoattack = AutoAttack's standard version: apgd-ce, apgd-t, fab-t, square; under L2 without "
                        + "square, which widerobust runs for L-inf only)").build());
        o.addOption(Option.builder().longOpt("eps").hasArg().argName("E").required()
                .desc("radius of the threat model, > 0, e.g. 0.03 or 8/255 for L-inf on [0,1] pixels").build());
        o.addOption(Option.builder().longOpt("norm").hasArg().argName("NORM").desc("linf (default) or l2").build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("S")
                .desc("PGD steps (default " + AttackOptions.PGD_STEPS + ", pgd-" + AttackOptions.PGD_STEPS
                        + "; FGSM takes one)").build());
        o.addOption(Option.builder().longOpt("apgd-iterations").hasArg().argName("N")
                .desc("APGD-CE/-DLR/-T iterations (default " + AttackOptions.APGD_ITERATIONS + ")").build());
        o.addOption(Option.builder().longOpt("fab-iterations").hasArg().argName("N")
                .desc("FAB and FAB-T iterations (default " + AttackOptions.FAB_ITERATIONS + ")").build());
        o.addOption(Option.builder().longOpt("square-queries").hasArg().argName("Q")
                .desc("Square queries per example (default " + AttackOptions.SQUARE_QUERIES + ")").build());
        o.addOption(Option.builder().longOpt("step-size").hasArg().argName("A")
                .desc("PGD step size (default 2.5*eps/steps)").build());
        o.addOption(Option.builder().longOpt("restarts").hasArg().argName("R").desc("restarts (default 1)").build());
        o.addOption(Option.builder().longOpt("no-random-start").desc("start PGD at the clean point").build());
        o.addOption(Option.builder().longOpt("early-stop")
                .desc("stop attacking a point once its prediction has changed (faster; every figure but time "
                        + "and queries stays the same; off by default)").build());
        o.addOption(Option.builder().longOpt("lipschitz").desc("estimate the local Lipschitz constant").build());
        o.addOption(Option.builder().longOpt("lipschitz-eps").hasArg().argName("E").desc("radius of the Lipschitz "
                + "estimate's L-inf ball (default: --eps under --norm linf; needed under l2)").build());
        o.addOption(Option.builder().longOpt("lipschitz-steps").hasArg().argName("S")
                .desc("ascent steps of the Lipschitz estimate (default 10)").build());
        o.addOption(Option.builder().longOpt("batch").hasArg().argName("B").desc("batch size (default 256)").build());
        o.addOption(Option.builder().longOpt("device").hasArg().argName("DEV")
                .desc("auto (default), cpu, cuda, cuda:N").build());
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("T")
                .desc("compute threads, 0 for all cores (default 0)").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("random seed (default 0)").build());
        o.addOption(Option.builder().longOpt("output").hasArg().argName("NAME")
                .desc("the ONNX output holding the logits (default: the one named logits, or the only [N,K] one)")
                .build());
        o.addOption(Option.builder().longOpt("json").hasArg().argName("OUT.json").desc("write a JSON report (default: none)").build());
        return o;
    }

    /** Parses and validates. */
    static EvaluationOptions parse(CommandLine line) {
        double eps = parseDouble(line, "eps", Double.NaN);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new CliException("--eps must be a positive finite number, got " + line.getOptionValue("eps"));
        }
        Norm norm;
        try {
            norm = Norm.parse(line.getOptionValue("norm", "linf"));
        } catch (IllegalArgumentException e) {
            throw new CliException("--norm: " + e.getMessage());
        }
        Integer steps = line.hasOption("steps") ? positiveInt(line, "steps", 0) : null;
        Double stepSize = null;
        if (line.hasOption("step-size")) {
            stepSize = parseDouble(line, "step-size", Double.NaN);
            if (!(stepSize > 0) || stepSize.isInfinite()) {
                throw new CliException("--step-size must be a positive finite number, got "
                        + line.getOptionValue("step-size"));
            }
        }
        int restarts = positiveInt(line, "restarts", 1);
        Integer apgd = line.hasOption("apgd-iterations") ? positiveInt(line, "apgd-iterations", 0) : null;
        Integer fab = line.hasOption("fab-iterations") ? positiveInt(line, "fab-iterations", 0) : null;
        Integer square = line.hasOption("square-queries") ? positiveInt(line, "square-queries", 0) : null;
        AttackOptions ao = new AttackOptions(eps, norm, steps, stepSize, restarts, !line.hasOption("no-random-start"),
                line.hasOption("early-stop"), apgd, square, fab);
        DeviceSpec device;
        try {
            device = DeviceSpec.parse(line.getOptionValue("device", "auto"));
        } catch (IllegalArgumentException e) {
            throw new CliException("--device: " + e.getMessage());
        }
        String split = line.getOptionValue("split", "test").toLowerCase(Locale.ROOT);
        int limit = line.hasOption("limit") ? positiveInt(line, "limit", -1) : -1;
        int threads = Args.threads(line);
        long seed;
        try {
            seed = Long.parseLong(line.getOptionValue("seed", "0").trim());
        } catch (NumberFormatException e) {
            throw new CliException("--seed must be an integer, got " + line.getOptionValue("seed"));
        }
        String attacks = line.getOptionValue("attack");
        if (attacks.isBlank()) {
            throw new CliException("--attack names no attack");
        }
        double lipschitzEps = 0;
        if (line.hasOption("lipschitz-eps")) {
            lipschitzEps = parseDouble(line, "lipschitz-eps", Double.NaN);
            if (!(lipschitzEps > 0) || Double.isInfinite(lipschitzEps)) {
                throw new CliException("--lipschitz-eps must be a positive finite number, got "
                        + line.getOptionValue("lipschitz-eps"));
            }
            if (!line.hasOption("lipschitz")) {
                throw new CliException("--lipschitz-eps applies to --lipschitz, which is not given");
            }
        }
        return new EvaluationOptions(Path.of(line.getOptionValue("model")), line.getOptionValue("data"), split, limit,
                attacks, ao, line.hasOption("lipschitz"), positiveInt(line, "lipschitz-steps", 10), lipschitzEps,
                positiveInt(line, "batch", 256), device, threads, seed,
                line.hasOption("json") ? Path.of(line.getOptionValue("json")) : null, line.getOptionValue("output"));
    }

    private static double parseDouble(CommandLine line, String opt, double dflt) {
        String v = line.getOptionValue(opt);
        return v == null ? dflt : Args.doubleValue(line, opt, dflt);
    }

    private static int positiveInt(CommandLine line, String opt, int dflt) {
        String v = line.getOptionValue(opt);
        if (v == null) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < 1) {
                throw new CliException("--" + opt + " must be at least 1, got " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new CliException("--" + opt + " must be a positive integer, got '" + v + "'");
        }
    }
}
