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
 * non-decreasing, so the smallest {@code s} with {@code h(s) = |c|} is found by one walk over the breakpoints
 * {@code r_i} in increasing order ({@code O(len log len)}). When the box makes the hyperplane unreachable, the result is the limit
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
        int[] order = new int[active];
        double total = 0;
        double reachable = 0;
        for (int i = 0, k = 0; i < len; i++) {
            if (!Double.isNaN(r[i])) {
                order[k++] = i;
                total += a[i];
                reachable += a[i] * r[i];
            }
        }
        double s = Double.POSITIVE_INFINITY;
        if (reachable >= target) {
            sortByKey(order, r, 0, active - 1);
            // between breakpoints h(s) = saturated + s·free; walk the breakpoints in increasing order
            double saturated = 0;
            double free = total;
            for (int k = 0; k < active; k++) {
                int i = order[k];
                if (saturated + r[i] * free >= target) {
                    s = free > 0 ? Math.max(target - saturated, 0) / free : r[i];
                    break;
                }
                saturated += a[i] * r[i];
                free -= a[i];
            }
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

    /** Sorts {@code idx[lo..hi]} by increasing {@code key[idx]} (quicksort, insertion sort for short runs). */
    private static void sortByKey(int[] idx, double[] key, int lo, int hi) {
        while (hi - lo > 16) {
            double pivot = key[idx[(lo + hi) >>> 1]];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (key[idx[i]] < pivot) {
                    i++;
                }
                while (key[idx[j]] > pivot) {
                    j--;
                }
                if (i <= j) {
                    int t = idx[i];
                    idx[i++] = idx[j];
                    idx[j--] = t;
                }
            }
            if (j - lo < hi - i) {
                sortByKey(idx, key, lo, j);
                lo = i;
            } else {
                sortByKey(idx, key, i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            int v = idx[i];
            int j = i - 1;
            while (j >= lo && key[idx[j]] > key[v]) {
                idx[j + 1] = idx[j];
                j--;
            }
            idx[j + 1] = v;
        }
    }
}
