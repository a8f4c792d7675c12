package org.widerobust.plugin.eval;

import org.widerobust.plugin.attack.ThreatModelMath;

/**
 * The numeric kernels of the robustness evaluation, free of orchestration: arg-max, perturbation norms,
 * output and gradient checks and the local Lipschitz ratio. All arrays are flat and C-ordered: {@code n} rows of
 * {@code k} scores or {@code len} input values.
 */
public final class RobustnessMetrics {
    private RobustnessMetrics() {}

    /** Index of the largest score of each of {@code n} rows of {@code k} scores (first one on ties). */
    public static int[] argmax(float[] scores, int n, int k) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            float b = scores[i * k];
            for (int j = 1; j < k; j++) {
                float v = scores[i * k + j];
                if (v > b || (Float.isNaN(b) && !Float.isNaN(v))) {
                    b = v;
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** {@code max |a - b|} over one example of {@code len} values at {@code offset} of both arrays. */
    public static double linfDistance(float[] a, float[] b, int offset, int len) {
        double m = 0;
        for (int j = offset; j < offset + len; j++) {
            m = Math.max(m, Math.abs((double) a[j] - b[j]));
        }
        return m;
    }

    /** {@code ||a - b||_2} over one example of {@code len} values at {@code offset} of both arrays. */
    public static double l2Distance(float[] a, float[] b, int offset, int len) {
        double s = 0;
        for (int j = offset; j < offset + len; j++) {
            double d = (double) a[j] - b[j];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** {@code ||a - b||_1} over one row of {@code k} scores at {@code offset} of both arrays. */
    public static double l1Distance(float[] a, float[] b, int offset, int k) {
        double s = 0;
        for (int j = offset; j < offset + k; j++) {
            s += Math.abs((double) a[j] - b[j]);
        }
        return s;
    }

    /**
     * The local Lipschitz ratio {@code ||f(x) - f(x')||_1 / ||x - x'||_inf} of one example, or NaN when
     * {@code x' == x}.
     */
    public static double lipschitzRatio(float[] logitsClean, float[] logitsAdv, int row, int k, float[] x,
                                         float[] xAdv, int len) {
        double dx = linfDistance(x, xAdv, row * len, len);
        if (dx == 0) {
            return Double.NaN;
        }
        return l1Distance(logitsClean, logitsAdv, row * k, k) / dx;
    }

    /** Whether every one of {@code n} rows is non-negative and sums to 1 within {@code tolerance}. */
    public static boolean looksLikeProbabilities(float[] scores, int n, int k, double tolerance) {
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                float v = scores[i * k + j];
                if (!(v >= 0)) {
                    return false;
                }
                s += v;
            }
            if (Math.abs(s - 1) > tolerance) {
                return false;
            }
        }
        return true;
    }

    /** How many of {@code n} examples of {@code len} values have an input gradient that is exactly zero. */
    public static int zeroGradientRows(float[] grad, int n, int len) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            boolean zero = true;
            for (int j = i * len, e = (i + 1) * len; j < e; j++) {
                if (grad[j] != 0f) {
                    zero = false;
                    break;
                }
            }
            if (zero) {
                c++;
            }
        }
        return c;
    }

    /** The largest absolute difference between two arrays over their first {@code m} values. */
    public static double maxAbsDifference(float[] a, float[] b, int m) {
        double d = 0;
        for (int j = 0; j < m; j++) {
            double v = Math.abs((double) a[j] - b[j]);
            if (Double.isNaN(v)) {
                return Double.POSITIVE_INFINITY;
            }
            d = Math.max(d, v);
        }
        return d;
    }

    /**
     * Whether an example lies inside the ε-ball around {@code x} (L∞ or L2) and the input box, with a small
     * tolerance for float rounding.
     */
    public static boolean inThreatModel(float[] x, float[] adv, int offset, int len, double eps, boolean linf,
                                        float min, float max) {
        return inThreatModel(x, adv, offset, len, eps, linf, new float[] {min, max});
    }

    /**
     * As {@link #inThreatModel(float[], float[], int, int, double, boolean, float, float)} under a declared input
     * domain ({@code {lo, hi}} or per-feature, see {@link ThreatModelMath#lower(float[], int)}).
     */
    public static boolean inThreatModel(float[] x, float[] adv, int offset, int len, double eps, boolean linf,
                                        float[] bounds) {
        double tol = 1e-5 + 1e-4 * eps;
        double d = linf ? linfDistance(x, adv, offset, len) : l2Distance(x, adv, offset, len);
        if (d > eps + tol) {
            return false;
        }
        for (int j = offset; j < offset + len; j++) {
            int f = j - offset;
            if (adv[j] < ThreatModelMath.lower(bounds, f) - 1e-6 || adv[j] > ThreatModelMath.upper(bounds, f) + 1e-6
                    || Float.isNaN(adv[j])) {
                return false;
            }
        }
        return true;
    }
}
