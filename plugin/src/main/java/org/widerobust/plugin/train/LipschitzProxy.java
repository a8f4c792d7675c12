package org.widerobust.plugin.train;

/**
 * The local Lipschitz proxy logged during training (Wu et al., NeurIPS 2021): for each example the largest
 * ‖∇_x loss‖₁ over the inner attack's iterates, then the mean over the batch. Kernels only.
 */
final class LipschitzProxy {
    private LipschitzProxy() {}

    /**
     * Raises {@code maxNorm[i]} to the L1 norm of example {@code i}'s gradient if larger.
     *
     * @param grad    input gradients {@code [n * len]}
     * @param maxNorm running maxima {@code [n]}, updated
     */
    static void accumulate(float[] grad, int n, int len, float[] maxNorm) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            int o = i * len;
            for (int j = 0; j < len; j++) {
                s += Math.abs(grad[o + j]);
            }
            if (s > maxNorm[i]) {
                maxNorm[i] = (float) s;
            }
        }
    }

    /** The batch mean of the per-example maxima. */
    static double batchMean(float[] maxNorm) {
        double s = 0;
        for (float v : maxNorm) {
            s += v;
        }
        return maxNorm.length == 0 ? Double.NaN : s / maxNorm.length;
    }
}
