package org.widerobust.plugin.cli;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.widerobust.plugin.train.AdversarialTrainer;
import org.widerobust.plugin.train.EpochSummary;
import org.widerobust.plugin.train.war.FixedLambda;
import org.widerobust.plugin.train.war.LambdaRule;
import org.widerobust.plugin.train.war.PowerRule;
import org.widerobust.plugin.train.war.RatioRule;

/**
 * The {@code train} options of the λ-form objectives and Width Adjusted Regularization ({@code --lambda},
 * {@code --war*}), validation ({@code --val}), the learning-rate schedule and Nesterov momentum; and the per-epoch
 * {@code train.json} fields they produce.
 */
final class ObjectiveOptions {
    /** The per-batch JSON-lines file written beside {@code train.json}. */
    static final String BATCH_LOG = org.widerobust.plugin.train.RunDirectory.BATCH_LOG;

    private ObjectiveOptions() {}

    /** Adds the options to {@code o}. */
    static Options add(Options o) {
        return o.addOption(opt("war", "RULE", "lambda rule: fixed (default), ratio (Width Adjusted Regularization) "
                        + "or power"))
                .addOption(opt("war-reference", "MODEL", "ratio: reference model (model.tribuo of a narrower run) "
                        + "whose training history gives rho_ref (default: none)"))
                .addOption(opt("war-ratio", "R", "ratio: rho_ref = R_rob / R_nat of the reference run (default: none)"))
                .addOption(opt("war-gamma", "G", "ratio: exponent of the update (default " + RatioRule.DEFAULT_GAMMA
                        + ")"))
                .addOption(opt("war-max", "L", "ratio: ceiling lambda_max (default " + RatioRule.DEFAULT_MAX_FACTOR
                        + " x lambda)"))
                .addOption(opt("war-interval", "N", "ratio: batches between updates (default "
                        + RatioRule.DEFAULT_INTERVAL + ")"))
                .addOption(opt("war-window", "N", "ratio: averaging window of rho_t in batches (default "
                        + RatioRule.DEFAULT_WINDOW + ")"))
                .addOption(opt("war-power", "P", "power: lambda = lambda0 * (width / K0)^P (default: none)"))
                .addOption(opt("war-reference-width", "K0", "power: the reference width K0 (default: none)"))
                .addOption(opt("val", "N", "hold out N training examples (from the seed) for per-epoch validation "
                        + "and the best model (default 0: none)"))
                .addOption(opt("val-steps", "S", "PGD steps of the validation robust accuracy (default 20)"))
                .addOption(opt("lr-schedule", "S", "piecewise (default: x0.1 at 75%, x0.01 at 90%), cosine or "
                        + "constant"))
                .addOption(Option.builder().longOpt("nesterov").desc("Nesterov momentum").build());
    }

    private static Option opt(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).build();
    }

    /** λ₀'s default: 6 for TRADES, 1 (Madry PGD-AT) for pgd. */
    static double defaultLambda(CommandLine line) {
        return "pgd".equalsIgnoreCase(line.getOptionValue("method", "trades").trim()) ? 1 : 6;
    }

    /**
     * Applies the options to a trainer builder.
     *
     * @throws CliException for inconsistent options (one line, before any training)
     */
    static AdversarialTrainer.Builder apply(CommandLine line, AdversarialTrainer.Builder b, Path out) {
        String war = line.getOptionValue("war", "fixed").trim().toLowerCase(Locale.ROOT);
        onlyWith(line, war, "ratio", "war-reference", "war-ratio", "war-gamma", "war-max", "war-interval",
                "war-window");
        onlyWith(line, war, "power", "war-power", "war-reference-width");
        LambdaRule rule;
        try {
            rule = switch (war) {
                case "fixed" -> new FixedLambda();
                case "ratio" -> {
                    RatioRule.Builder r = RatioRule.builder()
                            .gamma(Args.doubleValue(line, "war-gamma", RatioRule.DEFAULT_GAMMA))
                            .interval(Args.intValue(line, "war-interval", RatioRule.DEFAULT_INTERVAL))
                            .window(Args.intValue(line, "war-window", RatioRule.DEFAULT_WINDOW))
                            .lambdaMax(Args.doubleValue(line, "war-max", 0));
                    if (line.hasOption("war-reference") == line.hasOption("war-ratio")) {
                        throw new CliException("--war ratio needs exactly one of --war-reference MODEL and "
                                + "--war-ratio R");
                    }
                    if (line.hasOption("war-reference")) {
                        r.referenceModel(Path.of(line.getOptionValue("war-reference")));
                    } else {
                        r.referenceRatio(Args.doubleValue(line, "war-ratio", 0));
                    }
                    yield r.build();
                }
                case "power" -> {
                    if (!line.hasOption("war-power") || !line.hasOption("war-reference-width")) {
                        throw new CliException("--war power needs --war-power P and --war-reference-width K0");
                    }
                    yield new PowerRule(Args.doubleValue(line, "war-power", 0),
                            Args.doubleValue(line, "war-reference-width", 1));
                }
                default -> throw new CliException("--war " + war + ": use fixed, ratio or power");
            };
        } catch (PropertyException e) {
            throw new CliException("--war " + war + ": " + e.getMsg(), e);
        }
        return b.lambdaRule(rule)
                .validationExamples(Args.intValue(line, "val", 0))
                .validationSteps(Args.intValue(line, "val-steps", 20))
                .learningRateSchedule(line.getOptionValue("lr-schedule", "piecewise"))
                .nesterov(line.hasOption("nesterov"))
                .batchLog(out.resolve(BATCH_LOG));
    }

    private static void onlyWith(CommandLine line, String war, String rule, String... options) {
        if (!war.equals(rule)) {
            for (String o : options) {
                if (line.hasOption(o)) {
                    throw new CliException("--" + o + " applies only to --war " + rule);
                }
            }
        }
    }

    /** The per-epoch fields of the objective, λ rule and validation ({@code null} where a method has none). */
    static Map<String, Object> epochFields(EpochSummary e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("natural_risk", finite(e.naturalRisk()));
        m.put("robust_regularization", finite(e.robustRegularization()));
        Map<String, Object> lambda = new LinkedHashMap<>();
        lambda.put("last", finite(e.lambdaLast()));
        lambda.put("mean", finite(e.lambdaMean()));
        m.put("lambda", lambda);
        m.put("lambda_last", finite(e.lambdaLast()));
        m.put("lambda_mean", finite(e.lambdaMean()));
        m.put("ratio", finite(e.ratio()));
        m.put("local_lipschitz", finite(e.localLipschitz()));
        if (e.validated()) {
            m.put("val_natural_accuracy", e.valNaturalAccuracy());
            m.put("val_robust_accuracy", e.valRobustAccuracy());
            m.put("val_stability", e.valStability());
        }
        return m;
    }

    /** The epoch line's extra columns. */
    static String format(EpochSummary e) {
        StringBuilder sb = new StringBuilder();
        if (!Double.isNaN(e.lambdaLast())) {
            sb.append(String.format(Locale.ROOT,
                    "  R_nat %.4f  R_rob %.4f  lambda %.3g (mean %.3g)  rho_t %.4g  lip %.4g",
                    e.naturalRisk(), e.robustRegularization(), e.lambdaLast(), e.lambdaMean(), e.ratio(),
                    e.localLipschitz()));
        }
        if (e.validated()) {
            sb.append(String.format(Locale.ROOT, "  val nat %.4f rob %.4f stab %.4f", e.valNaturalAccuracy(),
                    e.valRobustAccuracy(), e.valStability()));
        }
        return sb.toString();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Names of the per-epoch fields, as {@code widerobust sweep} reads them. */
    static final List<String> EPOCH_FIELDS = List.of("natural_risk", "robust_regularization", "lambda", "ratio",
            "local_lipschitz", "val_natural_accuracy", "val_robust_accuracy", "val_stability");
}
