package org.widerobust.plugin.train;

import java.util.SplittableRandom;

import org.widerobust.adapters.network.LossTargets;
import org.widerobust.adapters.network.NetworkSession;

/**
 * The inner maximisation of TRADES as in its reference code: start at {@code x + 0.001·N(0, 1)}, then
 * {@code steps} times {@code x' ← clip_box(clip_ball(x' + α·sign(∇ KL(p(x) ‖ p(x')))))}, the KL summed over the batch
 * and {@code p(x)} fixed.
 */
public final class TradesPerturbation {
    /** Standard deviation of the Gaussian start. */
    public static final double START_SIGMA = 0.001;

    private TradesPerturbation() {}

    /**
     * Perturbs {@code n} examples.
     *
     * @param session    the network with the current weights (evaluation semantics)
     * @param x          clean inputs {@code [n * L]} (not modified)
     * @param n          examples
     * @param cleanProbs softmax of the clean logits {@code [n * K]}
     * @param eps        L∞ radius
     * @param steps      sign-gradient steps
     * @param alpha      step size
     * @param seed       seed of the Gaussian start
     * @return the adversarial inputs {@code [n * L]}
     */
    public static float[] perturb(NetworkSession session, float[] x, int n, float[] cleanProbs, double eps,
                                  int steps, double alpha, long seed) {
        return perturb(session, x, n, cleanProbs, eps, steps, alpha, seed, null);
    }

    /**
     * As {@link #perturb(NetworkSession, float[], int, float[], double, int, double, long)}, also recording per
     * example the largest L1 norm of the KL gradient over the iterates (the local Lipschitz proxy).
     *
     * @param gradNormMax {@code [n]}, raised to each iterate's gradient L1 norm; null to skip
     */
    public static float[] perturb(NetworkSession session, float[] x, int n, float[] cleanProbs, double eps,
                                  int steps, double alpha, long seed, float[] gradNormMax) {
        int len = session.exampleLength();
        int total = n * len;
        float[] bounds = session.network().inputBounds();
        float[] lo = new float[total];
        float[] hi = new float[total];
        float e = (float) eps;
        for (int i = 0; i < total; i++) {
            lo[i] = Math.max(x[i] - e, org.widerobust.plugin.attack.ThreatModelMath.lower(bounds, i));
            hi[i] = Math.min(x[i] + e, org.widerobust.plugin.attack.ThreatModelMath.upper(bounds, i));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] adv = new float[total];
        for (int i = 0; i < total; i++) {
            adv[i] = x[i] + (float) (START_SIGMA * rng.nextGaussian());
        }
        float[] grad = new float[total];
        LossTargets targets = new LossTargets(null, cleanProbs, null);
        float a = (float) alpha;
        for (int t = 0; t < steps; t++) {
            session.lossGradient("kl", adv, n, targets, grad, null, null);
            if (gradNormMax != null) {
                LipschitzProxy.accumulate(grad, n, len, gradNormMax);
            }
            org.widerobust.plugin.attack.ThreatModelMath.linfStepClipped(adv, grad, a, lo, hi, total);
        }
        if (steps == 0) {
            for (int i = 0; i < total; i++) {
                adv[i] = Math.min(Math.max(adv[i], lo[i]), hi[i]);
            }
        }
        return adv;
    }
}
