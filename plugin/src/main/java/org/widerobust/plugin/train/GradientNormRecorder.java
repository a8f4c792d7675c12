package org.widerobust.plugin.train;

import java.util.Arrays;

import org.widerobust.adapters.network.LossTargets;
import org.widerobust.plugin.attack.GradientTarget;

/**
 * A {@link GradientTarget} that passes every call through and records, per example, the largest L1 norm of the
 * input gradient over the calls (the attack's iterates): the local Lipschitz proxy of Wu et al. (NeurIPS 2021), at
 * no extra cost. Calls must cover the whole batch in order (PGD without early stop and with one restart, as in
 * training); other calls are passed through unrecorded.
 */
final class GradientNormRecorder implements GradientTarget {
    private final GradientTarget inner;
    private final float[] maxNorm;

    GradientNormRecorder(GradientTarget inner, int n) {
        this.inner = inner;
        this.maxNorm = new float[n];
    }

    @Override
    public void lossGradient(String loss, float[] x, int n, LossTargets targets, float[] gradOut, float[] lossOut,
                             float[] logitsOut) {
        inner.lossGradient(loss, x, n, targets, gradOut, lossOut, logitsOut);
        if (gradOut != null && n == maxNorm.length) {
            LipschitzProxy.accumulate(gradOut, n, exampleLength(), maxNorm);
        }
    }

    /** The recorded per-example maxima {@code [n]}. */
    float[] maxima() {
        return Arrays.copyOf(maxNorm, maxNorm.length);
    }

    @Override
    public long[] exampleShape() {
        return inner.exampleShape();
    }

    @Override
    public int exampleLength() {
        return inner.exampleLength();
    }

    @Override
    public int numClasses() {
        return inner.numClasses();
    }

    @Override
    public float[] inputBounds() {
        return inner.inputBounds();
    }

    @Override
    public void logits(float[] x, int n, float[] out) {
        inner.logits(x, n, out);
    }

    @Override
    public long queries() {
        return inner.queries();
    }
}
