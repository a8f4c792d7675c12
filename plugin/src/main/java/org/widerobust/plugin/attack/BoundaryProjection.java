package org.widerobust.plugin.attack;

import java.util.Arrays;

/**
 * The numeric kernel of FAB (Croce &amp; Hein, ICML 2020, Sec. 3.1): the minimal-norm step from a point onto a
 * hyperplane inside the input box,
 * <pre>
 *   d = argmin ‖d‖_p  subject to  ⟨w, d⟩ = c,  lo ≤ t + d ≤ hi        (p = ∞ or 2)
 * </pre>
 * solved exactly through its one-dimensional dual. With {@code σ = sign(c)}, each coordinate moves in the direction
 * {@code σ·sign(w_i)} by {@code min(s·m_i, room_i)} ({@code m_i = 1} for L∞, {@code |w_i|} for L2; {@code room_i}
 * the distance to the box face in that direction); the reached value {@code h(s) = Σ a_i min(s, r_i)} (L∞:
 * {@code a_i = |w_i|, r_i = room_i}; L2: {@code a_i = w_i², r_i = room_i / |w_i|}) is piecewise linear and
 * non-decreasing, so the smallest {@code s} with {@code h(s) = |c|} is found by a binary search over the sorted
 * breakpoints {@code r_i}. When the box makes the hyperplane unreachable, the result is the limit
 * {@code s → ∞}: every coordinate at its box face (the box point closest to the hyperplane).
 */
public final class BoundaryProjection {
    private BoundaryProjection() {}

    /**
     * The step of one example, written to {@code d[off, off + len)}.
     *
     * @param t      the point, {@code [len]} at {@code off}
     * @param w      the hyperplane's normal, {@code [len]} at {@code off}
     * @param c      the required value of {@code ⟨w, d⟩}
     * @param norm   L∞ or L2
     * @param bounds the input box {@code [lo, hi]}
     * @param d      output (may not alias {@code t} or {@code w})
     */
    public static void step(float[] t, float[] w, int off, int len, double c, Norm norm, float[] bounds, float[] d) {
        Arrays.fill(d, off, off + len, 0f);
        if (c == 0 || !Double.isFinite(c)) {
            return;
        }
        double sigma = Math.signum(c);
        double target = Math.abs(c);
        boolean linf = norm == Norm.LINF;
        double[] a = new double[len];
        double[] r = new double[len];
        int active = 0;
        for (int i = 0; i < len; i++) {
            double wi = sigma * w[off + i];
            if (wi == 0 || !Double.isFinite(wi)) {
                r[i] = Double.NaN;
                continue;
            }
            double room = wi > 0 ? bounds[1] - t[off + i] : t[off + i] - bounds[0];
            room = Math.max(room, 0);
            double aw = Math.abs(wi);
            a[i] = linf ? aw : aw * aw;
            r[i] = linf ? room : room / aw;
            active++;
        }
        if (active == 0) {
            return;
        }
        double[] sorted = new double[active];
        int k = 0;
        for (double v : r) {
            if (!Double.isNaN(v)) {
                sorted[k++] = v;
            }
        }
        Arrays.sort(sorted);
        double s;
        if (reached(a, r, sorted[active - 1]) < target) {
            s = Double.POSITIVE_INFINITY;
        } else if (reached(a, r, sorted[0]) >= target) {
            s = target / sumA(a, r, Double.NEGATIVE_INFINITY);
        } else {
            // h(sorted[lo]) < target <= h(sorted[hi])
            int lo = 0;
            int hi = active - 1;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (reached(a, r, sorted[mid]) < target) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            double base = sorted[lo];
            double saturated = 0;
            for (int i = 0; i < len; i++) {
                if (!Double.isNaN(r[i]) && r[i] <= base) {
                    saturated += a[i] * r[i];
                }
            }
            s = (target - saturated) / sumA(a, r, base);
        }
        for (int i = 0; i < len; i++) {
            if (Double.isNaN(r[i])) {
                continue;
            }
            double wi = sigma * w[off + i];
            double m = linf ? 1 : Math.abs(wi);
            double room = wi > 0 ? bounds[1] - t[off + i] : t[off + i] - bounds[0];
            double mag = Math.min(s * m, Math.max(room, 0));
            d[off + i] = (float) (Math.signum(wi) * mag);
        }
    }

    /** {@code h(s) = Σ a_i min(s, r_i)}. */
    private static double reached(double[] a, double[] r, double s) {
        double h = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(r[i])) {
                h += a[i] * Math.min(s, r[i]);
            }
        }
        return h;
    }

    /** {@code Σ a_i} over the coordinates not yet at their face at {@code s} ({@code r_i > s}). */
    private static double sumA(double[] a, double[] r, double s) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(r[i]) && r[i] > s) {
                sum += a[i];
            }
        }
        return sum;
    }
}
