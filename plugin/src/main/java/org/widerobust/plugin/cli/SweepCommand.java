package org.widerobust.plugin.cli;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.datasets.DataSpec;
import org.widerobust.descriptors.network.Families;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.model.InputDomain;
import org.widerobust.plugin.report.ProgressDisplay;
import org.widerobust.plugin.sweep.PointCommands;
import org.widerobust.plugin.sweep.Shard;
import org.widerobust.plugin.sweep.SweepPlan;
import org.widerobust.plugin.sweep.SweepPoint;
import org.widerobust.plugin.sweep.SweepRunner;
import org.widerobust.plugin.train.AdversarialTrainer;

/**
 * {@code widerobust sweep}: a width × λ study. Trains and evaluates every (width, λ) point plus one WAR run per
 * width through the {@code train} and {@code evaluate} commands, and writes {@code results.csv} and
 * {@code results.json}. Re-running skips finished points and resumes a killed one; {@code --shard I/N} runs a
 * deterministic share for a scheduler's job array.
 */
final class SweepCommand implements Command {
    /** Exponent of multiply-adds in a point's relative cost (see {@link #parse}). */
    static final double COST_EXPONENT = 0.8;

    /** Sweep options passed through unchanged to {@code train} (name, argument name, help). */
    private static final String[][] TRAIN_OPTIONS = {
            {"method", "M", "training objective: trades (default), pgd or natural"},
            {"eps", "E", "L-inf radius of training (default as train: 0.1 for 1-channel data, 8/255 otherwise)"},
            {"steps", "S", "attack steps in training (default 10)"},
            {"step-size", "A", "attack step size in training (default as train: eps/10 for 1-channel data, eps/4 otherwise)"},
            {"epochs", "N", "epochs per point (default 10)"},
            {"batch", "B", "batch size (default 128)"},
            {"lr", "LR", "initial learning rate (default 0.01)"},
            {"weight-decay", "WD", "weight decay (default 2e-4)"},
            {"seed", "S", "seed of every point (default 1)"},
            {"split", "SPLIT", "training split (default train)"},
            {"limit", "N", "train on the first N examples (default: all)"},
            {"val", "N", "hold out N training examples for per-epoch validation and the best checkpoint (default 0: none)"},
            {"val-steps", "S", "PGD steps of the validation robust accuracy (default 20)"},
            {"lr-schedule", "S", "piecewise (default), cosine or constant"},
            {"checkpoint-every", "N", "also checkpoint every N batches, so a kill loses little (default: per epoch)"},
    };
    /** Flags passed through unchanged to {@code train}. */
    private static final String[][] TRAIN_FLAGS = {
            {"augment", "random crop and flip in training (CIFAR-shaped data)"},
            {"nesterov", "Nesterov momentum in training"},
    };
    /** Options passed through to {@code train} for WAR points only. */
    private static final String[][] WAR_OPTIONS = {
            {"war-ratio", "R", "ratio rule: rho_ref as a number instead of the reference run's history (default: from the history)"},
            {"war-gamma", "G", "ratio rule: exponent gamma (default as train)"},
            {"war-max", "L", "ratio rule: largest lambda (default as train)"},
            {"war-interval", "N", "ratio rule: batches between updates (default as train)"},
            {"war-window", "N", "ratio rule: averaging window of rho_t in batches (default as train)"},
            {"war-power", "P", "power rule: exponent p (default: none; needed with --war power)"},
    };
    /** Sweep options mapped to {@code evaluate} options. */
    private static final String[][] EVAL_OPTIONS = {
            {"attack", "attack", "NAME[,..]", "evaluation attacks (default pgd)"},
            {"eval-eps", "eps", "E", "evaluation radius (default: the training eps)"},
            {"eval-steps", "steps", "S", "evaluation attack steps (default 20)"},
            {"eval-step-size", "step-size", "A", "evaluation step size (default evaluate's: 2.5*eps/steps)"},
            {"eval-limit", "limit", "N", "evaluate on the first N test examples (default 1000)"},
            {"eval-batch", "batch", "B", "evaluation batch size (default as evaluate)"},
            {"lipschitz-steps", "lipschitz-steps", "S", "ascent steps of the local Lipschitz estimate (default as evaluate)"},
    };

    @Override
    public String afterInterrupt() {
        return "; the same command continues the study (finished points are kept, an interrupted point resumes "
                + "from its checkpoint)";
    }

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String summary() {
        return "width x lambda study (+ WAR): train and evaluate every point, write results.csv/json";
    }

    @Override
    public Options options() {
        Options o = new Options()
                .addOption(opt("data", "SPEC", "data spec, as for train").required().build())
                .addOption(opt("arch", "FAMILY", "network family: " + Families.HELP).required().build())
                .addOption(opt("widths", "K,K,..", "width factors, e.g. 1,2,4,8").required().build())
                .addOption(opt("lambdas", "L,L,..", "fixed lambda values, e.g. 1,3,6,12 (default: none, only WAR runs)").build())
                .addOption(opt("war", "RULE", "add one WAR run per width: ratio, power or none (default none)")
                        .build())
                .addOption(opt("war-reference-width", "K0", "width the reference lambda was tuned at: at most "
                        + "the smallest width, since WAR enlarges a lambda tuned on a narrower network (default: the "
                        + "smallest width)").build())
                .addOption(opt("war-lambda", "L0", "the tuned lambda_0 WAR starts from (default: the median of "
                        + "--lambdas, the lower middle value for an even count)").build());
        for (String[] w : WAR_OPTIONS) {
            o.addOption(opt(w[0], w[1], w[2]).build());
        }
        for (String[] t : TRAIN_OPTIONS) {
            o.addOption(opt(t[0], t[1], t[2]).build());
        }
        for (String[] f : TRAIN_FLAGS) {
            o.addOption(Option.builder().longOpt(f[0]).desc(f[1]).build());
        }
        for (String[] e : EVAL_OPTIONS) {
            o.addOption(opt(e[0], e[2], e[3]).build());
        }
        return o.addOption(Option.builder().longOpt("no-lipschitz").desc("skip the local Lipschitz estimate").build())
                .addOption(opt("device", "DEV", "auto, cpu, cuda or cuda:N (default auto)").build())
                .addOption(opt("threads", "T", "compute threads (default: all cores)").build())
                .addOption(opt("shard", "I/N", "run only share I of N (1 <= I <= N) of the points (default 1/1: all)").build())
                .addOption(opt("out", "DIR", "study directory").required().build())
                .addOption(Option.builder().longOpt("dry-run").desc("print the points (of this shard) and stop")
                        .build())
                .addOption(Option.builder().longOpt("quiet").desc("no progress bar").build());
    }

    private static Option.Builder opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc);
    }

    /** A parsed study: the plan, the point commands, the cost of each point and the settings to record. */
    record Study(SweepPlan plan, PointCommands commands, ToDoubleFunction<SweepPoint> cost, Shard shard,
                 Map<String, Object> settings) {}

    static Study parse(CommandLine line) {
        String data = line.getOptionValue("data");
        String arch = line.getOptionValue("arch");
        List<Double> widths;
        List<Double> lambdas;
        SweepPlan plan;
        Shard shard;
        try {
            widths = SweepPlan.parseList("widths", line.getOptionValue("widths"));
            lambdas = SweepPlan.parseList("lambdas", line.getOptionValue("lambdas"));
            String war = line.getOptionValue("war", "none");
            if ("natural".equalsIgnoreCase(line.getOptionValue("method", "trades").trim())
                    && (lambdas.size() > 1 || !war.equalsIgnoreCase("none") || line.hasOption("steps"))) {
                throw new CliException("--method natural trains without lambda and without a training attack: give "
                        + "--lambdas one value (it only names the points), and no --war or --steps");
            }
            double refWidth = Args.doubleValue(line, "war-reference-width",
                    widths.stream().mapToDouble(Double::doubleValue).min().orElse(1));
            double warLambda = Args.doubleValue(line, "war-lambda", lambdas.isEmpty() ? 6
                    : lambdas.stream().sorted().toList().get((lambdas.size() - 1) / 2));
            plan = SweepPlan.of(widths, lambdas, war, refWidth, warLambda, line.hasOption("war-ratio"));
            shard = line.hasOption("shard") ? Shard.parse(line.getOptionValue("shard")) : Shard.ALL;
            for (double w : widths) {
                Families.create(arch, w);
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        DenseDataset first;
        try {
            first = DataSpec.load(data, line.getOptionValue("split", "train"), 1);
        } catch (RuntimeException e) {
            throw new CliException("--data " + data + ": " + e.getMessage(), e);
        }
        long[] shape = first.exampleShape();
        int classes = Math.max(first.numClasses(), 2);
        // The relative cost of a point, for shard balance and the ETA: training time per example grew like
        // multiply-adds^0.8 here (smallcnn k = 1 -> 4: 9.4x the time for 15.8x the multiply-adds, docs/benchmarks.md;
        // mlp k = 1 -> 8: about 10x for 21.7x, docs/results.md), since wider layers use the cores better.
        ToDoubleFunction<SweepPoint> cost = p -> Math.pow(Families.create(arch, p.width()).multiplyAdds(shape,
                classes), COST_EXPONENT);

        Map<String, String> train = new LinkedHashMap<>();
        for (String[] t : TRAIN_OPTIONS) {
            if (line.hasOption(t[0])) {
                train.put("--" + t[0], line.getOptionValue(t[0]));
            }
        }
        for (String[] f : TRAIN_FLAGS) {
            if (line.hasOption(f[0])) {
                train.put("--" + f[0], null);
            }
        }
        Map<String, String> war = new LinkedHashMap<>();
        for (String[] w : WAR_OPTIONS) {
            if (line.hasOption(w[0])) {
                war.put("--" + w[0], line.getOptionValue(w[0]));
            }
        }
        if (plan.points().stream().anyMatch(p -> "power".equals(p.war()))) {
            war.put("--war-reference-width", SweepPoint.format(Args.doubleValue(line, "war-reference-width",
                    widths.stream().mapToDouble(Double::doubleValue).min().orElse(1))));
        }
        Map<String, String> eval = new LinkedHashMap<>();
        eval.put("--split", "test");
        eval.put("--attack", "pgd");
        eval.put("--steps", "20");
        eval.put("--limit", "1000");
        for (String[] e : EVAL_OPTIONS) {
            if (line.hasOption(e[0])) {
                eval.put("--" + e[1], line.getOptionValue(e[0]));
            }
        }
        if (!line.hasOption("no-lipschitz")) {
            eval.put("--lipschitz", null);
        }
        Map<String, String> run = new LinkedHashMap<>();
        for (String r : List.of("device", "threads")) {
            if (line.hasOption(r)) {
                run.put("--" + r, line.getOptionValue(r));
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", data);
        settings.put("arch", arch);
        settings.put("widths", widths);
        settings.put("lambdas", lambdas);
        settings.put("war", line.getOptionValue("war", "none"));
        settings.put("train_options", train);
        settings.put("war_options", war);
        settings.put("eval_options", eval);
        PointCommands commands = new PointCommands(data, arch, train, war, eval, run);
        checkPointOptions(plan, commands, shape);
        return new Study(plan, commands, cost, shard, settings);
    }

    /**
     * Checks the options every point passes on before any point runs: the {@code train} arguments of the first
     * fixed-λ and the first WAR point are parsed by the train command's own options and configure (without
     * training) an {@link AdversarialTrainer}, whose {@code postConfig} validates them; the {@code evaluate}
     * arguments are parsed and validated by {@link EvaluationOptions#parse}, and their attacks created.
     *
     * @param shape one example's shape, for train's data-dependent defaults
     * @throws CliException naming the first bad option, in the words of the command that would reject it
     */
    static void checkPointOptions(SweepPlan plan, PointCommands commands, long[] shape) {
        boolean gray = shape.length == 3 && shape[0] == 1;
        Path dir = Path.of("POINT");
        SweepPoint fixed = plan.points().stream().filter(p -> !p.isWar()).findFirst().orElse(null);
        SweepPoint war = plan.points().stream().filter(SweepPoint::isWar).findFirst().orElse(null);
        double trainedEps = Double.NaN;
        for (SweepPoint p : java.util.Arrays.asList(fixed, war)) {
            if (p == null) {
                continue;
            }
            List<String> a = new java.util.ArrayList<>(commands.train(p, dir, null, false));
            if (p.referenceId() != null) { // the reference run's ratio is known only once it ran: any will do here
                a.addAll(List.of("--war-ratio", "1"));
            }
            CommandLine line = parsePointArgs(new TrainCommand().options(), a, "training");
            try {
                Args.intValue(line, "limit", -1);
                Args.threads(line);
                trainedEps = Args.doubleValue(line, "eps", gray ? 0.1 : 8 / 255.0);
                AdversarialTrainer t = TrainCommand.configure(line, gray, dir, Args.doubleValue(line, "width", 1))
                        .build();
                // said once here too, not only in each WAR point's log (with --limit the size is known up front)
                String shortRun = p.isWar() && line.hasOption("limit")
                        ? t.shortWarRunWarning(Args.intValue(line, "limit", -1)) : null;
                if (shortRun != null) {
                    System.err.println("widerobust sweep: warning: WAR points: " + shortRun);
                }
            } catch (PropertyException e) {
                throw new CliException("point training: " + Args.configError(e, TrainCommand.FLAGS).getMessage(), e);
            } catch (CliException | IllegalArgumentException e) {
                throw new CliException("point training: " + e.getMessage(), e);
            }
        }
        CommandLine line = parsePointArgs(new EvaluateCommand().options(), commands.evaluate(Path.of("MODEL"),
                Path.of("JSON"), trainedEps), "evaluation");
        try {
            EvaluationOptions o = EvaluationOptions.parse(line);
            Attacks.createAll(o.attacks(), o.attackOptions());
            // a budget covering the whole box, said once here rather than only in every point's log (image sources
            // are scaled to [0, 1])
            int len = (int) java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y);
            String train = Double.isNaN(trainedEps) || "natural".equalsIgnoreCase(commands.trainOption("--method"))
                    ? null : InputDomain.coveringBudgetWarning("training", trainedEps, true, InputDomain.UNIT, len);
            String eval = InputDomain.coveringBudgetWarning("evaluation", o.attackOptions().eps(),
                    o.attackOptions().norm() == org.widerobust.plugin.attack.Norm.LINF, InputDomain.UNIT, len);
            for (String w : new String[] {train, eval}) {
                if (w != null) {
                    System.err.println("widerobust sweep: warning: " + w);
                }
            }
        } catch (CliException | IllegalArgumentException e) {
            String msg = e.getMessage();
            for (String[] o : EVAL_OPTIONS) { // in the sweep's words: --steps is given as --eval-steps
                msg = msg.replaceAll("--" + java.util.regex.Pattern.quote(o[1]) + "\\b(?!-)", "--" + o[0]);
            }
            throw new CliException("point evaluation: " + msg, e);
        }
    }

    /** A point's command arguments (verb first) parsed with that command's options, as the launcher parses them. */
    private static CommandLine parsePointArgs(Options options, List<String> args, String what) {
        try {
            CommandLine line = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options,
                    args.subList(1, args.size()).toArray(String[]::new));
            Args.requireSingle(line);
            return line;
        } catch (ParseException | CliException e) {
            throw new CliException("point " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path out = Path.of(line.getOptionValue("out"));
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CliException("--out " + out + " exists and is not a directory");
        }
        if (OutputGuard.isRunDirectory(OutputGuard.real(out))) {
            throw new CliException("--out " + out + " holds a training run; a study goes into a directory of its own");
        }
        if (!line.hasOption("dry-run")) {
            // checked here, not by outputDirectories(), which would create the directory on a dry run
            Args.outputDirectory(line, "out");
        }
        Study s = parse(line);
        List<SweepPoint> mine = s.plan().shard(s.shard(), s.cost());
        Map<String, Object> settings = new LinkedHashMap<>(s.settings());
        settings.put("created", Instant.now().toString());
        SweepRunner runner = new SweepRunner(s.plan(), s.commands(), out, CliInvoker::run, s.cost(), settings);
        try {
            runner.checkFinishedPoints(s.shard()); // a dry run too: it must not list what the real run would refuse
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), e);
        }
        if (line.hasOption("dry-run")) {
            System.out.printf("%d points in the study, %d in shard %s:%n", s.plan().points().size(), mine.size(),
                    s.shard());
            for (SweepPoint p : mine) {
                System.out.println("  " + p + "\n    widerobust " + String.join(" ",
                        s.commands().train(p, out.resolve("points").resolve(p.id()), p.referenceId() == null ? null
                                : out.resolve("points").resolve(p.referenceId()).resolve("model.tribuo"), false)));
            }
            return 0;
        }
        SweepRunner.Outcome o;
        try {
            o = runner.run(s.shard(), new Progress(line.hasOption("quiet"), mine.size(), s.cost()));
        } catch (UncheckedIOException e) {
            throw new CliException(e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "sweep %s: %d points run, %d already done, %d failed; wrote %s and %s%n",
                s.shard(), o.ran().size(), o.skipped().size(), o.failed().size(), out.resolve("results.csv"),
                out.resolve("results.json"));
        for (String f : o.failed()) {
            System.out.println("  failed: " + f);
        }
        return o.failed().isEmpty() ? 0 : 1;
    }

    /**
     * The sweep's progress: a bar with ETA over the study's cost, moving inside each point as its training goes on
     * (from the point's batch log), and one line per point. Without a terminal, a plain line at most every
     * {@value #PLAIN_INTERVAL_MS} ms, so a long study's log (a Slurm job's, say) shows where it is.
     */
    static final class Progress implements SweepRunner.Listener {
        /** Period of plain progress lines. */
        static final long PLAIN_INTERVAL_MS = 60_000;
        /**
         * The share of a point's cost that is training, for the bar inside a point: in the presets, training
         * (at least 2 epochs of 5–10-step PGD over thousands of images) is about nine tenths of a point's passes,
         * evaluation (PGD-20 on up to 1,000 images) the rest.
         */
        static final double TRAINING_SHARE = 0.9;

        private final ConsoleProgress bar;
        private final PrintStream out = System.out;
        private final int total;
        private final ToDoubleFunction<SweepPoint> cost;
        private int n;
        private long finishedUnits;
        private long totalUnits = 1;

        Progress(boolean quiet, int total, ToDoubleFunction<SweepPoint> cost) {
            this(quiet ? null : new ConsoleProgress("study", ProgressDisplay.stderrIsTerminal(), System.err,
                    ProgressDisplay.QUIET_MS, PLAIN_INTERVAL_MS), total, cost);
        }

        Progress(ConsoleProgress bar, int total, ToDoubleFunction<SweepPoint> cost) {
            this.bar = bar;
            this.total = total;
            this.cost = cost;
        }

        @Override
        public void started(double totalCost, int toRun, int alreadyDone) {
            n = alreadyDone;
            if (alreadyDone > 0) {
                out.printf("%d of %d points already done%n", alreadyDone, total);
            }
            totalUnits = Math.max(1, Math.round(totalCost));
            if (bar != null) {
                bar.started(totalUnits);
            }
        }

        @Override
        public void pointStarted(SweepPoint p, String action) {
            out.printf("[%d/%d] %s: %s%n", n + 1, total, p.id(), action);
            out.flush();
        }

        @Override
        public synchronized void pointProgress(SweepPoint p, double trainedShare, String where) {
            if (bar != null) {
                long inPoint = Math.round(cost.applyAsDouble(p) * TRAINING_SHARE * Math.min(1, trainedShare));
                bar.at(Math.min(totalUnits, finishedUnits + inPoint), p.id() + " " + where);
            }
        }

        @Override
        public synchronized void pointResumed(SweepPoint p, double trainedShare) {
            if (bar != null) {
                bar.doneBefore(Math.round(cost.applyAsDouble(p) * TRAINING_SHARE * Math.min(1, trainedShare)));
            }
        }

        @Override
        public synchronized void pointEnded(SweepPoint p, String status, double pointCost) {
            n++;
            // the points' rounded costs need not add up to the rounded total: the last point ends the bar exactly
            finishedUnits = n == total ? totalUnits : Math.min(totalUnits, finishedUnits + Math.round(pointCost));
            if (bar != null) {
                bar.at(finishedUnits, p.id() + " " + status);
                if (n == total) {
                    bar.finished();
                }
            }
            if (!status.equals("done")) {
                out.printf("[%d/%d] %s: %s%n", n, total, p.id(), status);
            }
        }
    }
}
