package org.widerobust.plugin.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.widerobust.adapters.network.LossTargets;
import org.widerobust.plugin.attack.GradientTarget;
import org.widerobust.plugin.attack.ThreatModelMath;

/**
 * Estimates the local Lipschitz constant of a white-box classifier at each example:
 * {@code max over x' in the L∞ ε-ball of ||f(x) - f(x')||_1 / ||x - x'||_∞}, found by projected sign-gradient
 * ascent on that ratio (PGD-like L∞ steps from a random start inside ε/2), keeping the best ratio seen at any
 * iterate. The numerator's gradient {@code Jᵀ sign(f(x') - f(x))} comes from the engine's {@code l1-logits} loss
 * in the same run as the logits; the denominator's subgradient lives on the coordinates of largest |x' - x|.
 */
public final class LipschitzEstimator {
    /** The loss whose gradient is the numerator's: the L1 distance of the logits from the clean ones. */
    static final String LOSS = "l1-logits";

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
                + " sign-gradient ascent steps on the ratio (step " + stepSize + ", random start)";
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
        LossTargets lt = new LossTargets(labels, null, null, Arrays.copyOf(cleanLogits, n * k));
        SplittableRandom rng = new SplittableRandom(seed);
        float[] adv = new float[n * len];
        for (int j = 0; j < n * len; j++) {
            float r = (float) ((rng.nextDouble() * 2 - 1) * epsilon / 2);
            adv[j] = clamp(x[j] + r, x[j], bounds, j);
        }
        double[] best = new double[n];
        Arrays.fill(best, Double.NaN);
        float[] grad = new float[n * len];
        float[] logits = new float[n * k];
        float[] distance = new float[n];
        for (int s = 0; s <= steps; s++) {
            if (s < steps) {
                target.lossGradient(LOSS, adv, n, lt, grad, distance, logits);
                ratioGradient(grad, distance, x, adv, n, len);
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
                    adv[j] = clamp(adv[j] + step, x[j], bounds, j);
                }
            }
        }
        return best;
    }

    /**
     * Turns the numerator's gradient into the ratio's, in place: {@code ∇N / D - N / D² · ∂D}, where
     * {@code D = ||x' - x||_∞} has subgradient {@code sign(x'_j - x_j)} on its largest coordinates.
     */
    static void ratioGradient(float[] grad, float[] numerator, float[] x, float[] adv, int n, int len) {
        for (int i = 0; i < n; i++) {
            int off = i * len;
            double d = 0;
            for (int j = off; j < off + len; j++) {
                d = Math.max(d, Math.abs(adv[j] - x[j]));
            }
            if (d == 0) {
                continue;
            }
            double scale = numerator[i] / (d * d);
            for (int j = off; j < off + len; j++) {
                double delta = adv[j] - x[j];
                double g = grad[j] / d;
                if (Math.abs(delta) == d) {
                    g -= scale * Math.signum(delta);
                }
                grad[j] = (float) g;
            }
        }
    }

    private float clamp(float v, float centre, float[] bounds, int j) {
        float lo = (float) Math.max(ThreatModelMath.lower(bounds, j), centre - epsilon);
        float hi = (float) Math.min(ThreatModelMath.upper(bounds, j), centre + epsilon);
        return Math.max(lo, Math.min(hi, v));
    }
}
