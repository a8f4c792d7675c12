package org.widerobust.plugin.eval;

import java.util.SplittableRandom;

import org.widerobust.adapters.network.LossTargets;
import org.widerobust.plugin.attack.GradientTarget;

/**
 * Estimates the local Lipschitz constant of a white-box classifier at each example:
 * {@code max over x' in the L∞ ε-ball of ||f(x) - f(x')||_1 / ||x - x'||_∞}, found by projected sign-gradient
 * ascent (PGD-like L∞ steps from a random start), keeping the best ratio seen at any iterate.
 *
 * <p>The exact ascent direction is the gradient of {@code Σ|f(x') - f(x)|}, i.e. {@code Jᵀ sign(f(x') - f(x))}.
 * The engine has no loss head for it yet, so the ascent follows the {@code kl} loss between the clean prediction
 * and {@code f(x')} (whose gradient is zero at {@code x' = x}; hence the random start). When a loss head
 * {@code l1-logit-distance} (targets: the clean logits in {@link LossTargets#targetProbs()}) exists, switch
 * {@link #LOSS} to it: {@link #targets} already passes what each loss needs.
 */
public final class LipschitzEstimator {
    /** The loss whose gradient drives the ascent. Switch to {@code "l1-logit-distance"} once the engine has it. */
    static final String LOSS = "kl";

    private final double epsilon;
    private final int steps;
    private final double stepSize;

    /**
     * @param epsilon radius of the L∞ ball
     * @param steps   ascent steps (at least 1)
     */
    public LipschitzEstimator(double epsilon, int steps) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("the Lipschitz radius must be positive and finite, got " + epsilon);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("Lipschitz steps must be at least 1, got " + steps);
        }
        this.epsilon = epsilon;
        this.steps = steps;
        this.stepSize = epsilon / 4;
    }

    /** A one-line description of the method, for reports. */
    public String describe() {
        return "max over the L-inf ball (eps " + epsilon + ") of ||f(x)-f(x')||_1/||x-x'||_inf by " + steps
                + " sign-gradient ascent steps (step " + stepSize + ", random start) on the '" + LOSS + "' loss";
    }

    /**
     * The estimated ratio of each of {@code n} examples (NaN where no perturbed point differed from x).
     *
     * @param cleanLogits the logits of {@code x}, {@code [n * K]}
     */
    public double[] estimate(GradientTarget target, float[] x, float[] cleanLogits, int[] labels, int n, long seed) {
        int len = target.exampleLength();
        int k = target.numClasses();
        float[] bounds = target.inputBounds();
        LossTargets lt = targets(cleanLogits, labels, n, k);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] adv = new float[n * len];
        for (int j = 0; j < n * len; j++) {
            float r = (float) ((rng.nextDouble() * 2 - 1) * epsilon / 2);
            adv[j] = clamp(x[j] + r, x[j], bounds);
        }
        double[] best = new double[n];
        java.util.Arrays.fill(best, Double.NaN);
        float[] grad = new float[n * len];
        float[] logits = new float[n * k];
        for (int s = 0; s <= steps; s++) {
            if (s < steps) {
                target.lossGradient(LOSS, adv, n, lt, grad, null, logits);
            } else {
                target.logits(adv, n, logits);
            }
            for (int i = 0; i < n; i++) {
                double r = RobustnessMetrics.lipschitzRatio(cleanLogits, logits, i, k, x, adv, len);
                if (!Double.isNaN(r) && (Double.isNaN(best[i]) || r > best[i])) {
                    best[i] = r;
                }
            }
            if (s < steps) {
                for (int j = 0; j < n * len; j++) {
                    float g = grad[j];
                    float step = g > 0 ? (float) stepSize : g < 0 ? (float) -stepSize : 0f;
                    adv[j] = clamp(adv[j] + step, x[j], bounds);
                }
            }
        }
        return best;
    }

    /** What the ascent loss is measured against. */
    static LossTargets targets(float[] cleanLogits, int[] labels, int n, int k) {
        if (LOSS.equals("kl")) {
            float[] p = new float[n * k];
            for (int i = 0; i < n; i++) {
                RobustnessMetrics.softmax(cleanLogits, i * k, k, p);
            }
            return new LossTargets(labels, p, null);
        }
        return new LossTargets(labels, java.util.Arrays.copyOf(cleanLogits, n * k), null);
    }

    private float clamp(float v, float centre, float[] bounds) {
        float lo = (float) Math.max(bounds[0], centre - epsilon);
        float hi = (float) Math.min(bounds[1], centre + epsilon);
        return Math.max(lo, Math.min(hi, v));
    }
}
