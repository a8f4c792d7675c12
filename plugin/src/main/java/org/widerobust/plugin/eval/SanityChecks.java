package org.widerobust.plugin.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.model.InputDomain;

/**
 * Turns what an evaluation observed into warnings about evaluations that cannot be trusted: masked gradients,
 * probability outputs, nondeterministic outputs, a black-box attack beating the white-box ones, and ε as large as
 * the input range. Pure functions of the observations.
 */
final class SanityChecks {
    /** Share of zero-gradient points above which a warning is given. */
    static final double ZERO_GRADIENT_THRESHOLD = 0.01;

    private SanityChecks() {}

    static List<String> epsilonChecks(List<Attack> attacks, float[] bounds, int exampleLength) {
        List<String> w = new ArrayList<>();
        for (Attack a : attacks) {
            String covering = InputDomain.coveringBudgetWarning("attack " + a.name(), a.epsilon(),
                    a.norm() == Norm.LINF, bounds, exampleLength);
            if (covering != null) {
                w.add(covering);
            }
        }
        return w;
    }

    /**
     * A warning when natural accuracy is not above chance (1/K) beyond two binomial standard errors on the n
     * examples: an untrained or broken model, whose robust accuracy and stability say nothing about robustness.
     */
    static String chanceLevel(double naturalAccuracy, int classes, int n) {
        if (!ChanceLevel.atChance(naturalAccuracy, classes, n)) {
            return null;
        }
        return String.format(Locale.ROOT, "natural accuracy %.2f%% %s (1/%d = %.2f%%) beyond noise on %d examples: "
                + "the model is untrained or broken (labels in another order?), so its robust accuracy and stability "
                + "say nothing about robustness", 100 * naturalAccuracy, ChanceLevel.PHRASE, classes, 100.0 / classes,
                n);
    }

    static List<String> observations(double zeroGradientFraction, boolean probabilityOutputs, double rerunDifference,
                                     List<AttackSummary> summaries, double maskingThreshold) {
        List<String> w = new ArrayList<>();
        if (zeroGradientFraction > ZERO_GRADIENT_THRESHOLD) {
            w.add(String.format(Locale.ROOT, "%.1f%% of the points have an input gradient that is exactly zero "
                    + "(cross-entropy loss): gradient masking or saturated outputs; white-box attacks cannot move "
                    + "these points, so robust accuracy may be overestimated", 100 * zeroGradientFraction));
        }
        if (probabilityOutputs) {
            w.add("the model's outputs look like probabilities (every row non-negative and summing to 1 within "
                    + "1e-3), not logits: losses that apply softmax apply it twice and their gradients shrink; "
                    + "export the model without its final softmax");
        }
        if (rerunDifference > 0) {
            w.add(String.format(Locale.ROOT, "the model's outputs changed between two identical runs on the same "
                    + "batch (max difference %.3g): randomness at inference (dropout, sampling) masks gradients "
                    + "and makes results irreproducible", rerunDifference));
        }
        double worstWhite = Double.NaN;
        String whiteName = null;
        for (AttackSummary s : summaries) {
            if (s.whiteBox() && (Double.isNaN(worstWhite) || s.robustAccuracy() < worstWhite)) {
                worstWhite = s.robustAccuracy();
                whiteName = s.name();
            }
        }
        for (AttackSummary s : summaries) {
            if (!s.whiteBox() && !Double.isNaN(worstWhite) && worstWhite - s.robustAccuracy() > maskingThreshold) {
                w.add(String.format(Locale.ROOT, "black-box attack %s (robust accuracy %.2f%%) beats the best "
                        + "white-box attack %s (%.2f%%) by %.2f points: a sign of gradient masking; trust the "
                        + "worst case, not the white-box numbers", s.name(), 100 * s.robustAccuracy(), whiteName,
                        100 * worstWhite, 100 * (worstWhite - s.robustAccuracy())));
            }
        }
        for (AttackSummary s : summaries) {
            if (s.outsideThreatModel() > 0) {
                w.add("attack " + s.name() + " returned " + s.outsideThreatModel() + " point(s) outside the eps-ball "
                        + "or the input box; its numbers are not valid for this threat model");
            }
        }
        return w;
    }
}
