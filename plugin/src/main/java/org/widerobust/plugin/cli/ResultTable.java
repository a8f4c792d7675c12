package org.widerobust.plugin.cli;

import java.util.Locale;

import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.eval.AttackSummary;
import org.widerobust.plugin.eval.PerturbationStats;
import org.widerobust.plugin.eval.RobustnessEvaluation;

/** The human-readable summary printed by {@code evaluate} and {@code attack}. */
final class ResultTable {
    private ResultTable() {}

    static String format(EvaluationRunner.Run run, EvaluationOptions o) {
        RobustnessEvaluation e = run.evaluation();
        AttackOptions ao = o.attackOptions();
        StringBuilder b = new StringBuilder();
        line(b, "model", run.model() + (run.whiteBox() ? " (white-box)" : " (black-box)"));
        line(b, "data", o.data() + " --split " + o.split() + ", " + run.data().size() + " examples of shape "
                + java.util.Arrays.toString(run.data().exampleShape()));
        line(b, "threat model", String.format(Locale.ROOT, "%s, eps %.4g", ao.norm().name().toLowerCase(Locale.ROOT),
                ao.eps()));
        line(b, "device", run.device());
        b.append('\n');
        int width = 28;
        for (AttackSummary s : e.perAttack().values()) {
            width = Math.max(width, label(s).length());
        }
        String text = "%-" + width + "s";
        b.append(String.format(Locale.ROOT, text + " %10s %10s %12s %9s%n", "", "accuracy", "stability", "queries",
                "time (s)"));
        b.append(String.format(Locale.ROOT, text + " %9.2f%% %10s %12s %9s%n", "natural", 100 * e.naturalAccuracy(),
                "", "", ""));
        for (AttackSummary s : e.perAttack().values()) {
            b.append(String.format(Locale.ROOT, text + " %9.2f%% %9.2f%% %12d %9.1f%n", label(s),
                    100 * s.robustAccuracy(), 100 * s.stability(), s.queries(), s.seconds()));
        }
        b.append(String.format(Locale.ROOT, text + " %9.2f%% %9.2f%% %12d %9.1f%n", "robust: worst case",
                100 * e.robustAccuracy(), 100 * e.perturbationStability(), e.queries(), e.seconds()));
        b.append('\n');
        PerturbationStats p = e.perturbations();
        line(b, "perturbation L-inf", String.format(Locale.ROOT, "mean %.4f, max %.4f", p.meanLinf(), p.maxLinf()));
        line(b, "perturbation L2", String.format(Locale.ROOT, "mean %.4f, max %.4f", p.meanL2(), p.maxL2()));
        if (o.lipschitz()) {
            line(b, "local Lipschitz", e.localLipschitz().isPresent()
                    ? String.format(Locale.ROOT, "%.4g (%s)", e.localLipschitz().getAsDouble(), e.lipschitzMethod())
                    : "not estimated (needs a white-box model)");
        }
        if (!Double.isNaN(e.zeroGradientFraction())) {
            line(b, "zero-gradient points", String.format(Locale.ROOT, "%.2f%%", 100 * e.zeroGradientFraction()));
        }
        line(b, "wall time", String.format(Locale.ROOT, "%.1f s", e.seconds()));
        if (!e.warnings().isEmpty()) {
            b.append('\n');
            for (String w : e.warnings()) {
                b.append("warning: ").append(w).append('\n');
            }
        }
        return b.toString();
    }

    /** An attack's row label: its name, which names its budget ({@code robust: apgd-ce-100}). */
    private static String label(AttackSummary s) {
        return "robust: " + s.name() + (s.whiteBox() ? "" : " (black-box)");
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format(Locale.ROOT, "%-22s %s%n", key + ":", value));
    }
}
