package org.widerobust.plugin.attack;

import java.util.SplittableRandom;

/**
 * The numeric kernels of the threat model, shared by every attack: steepest-ascent steps, projection onto the
 * ε-ball ∩ declared input domain, random starts and distances. Arrays hold {@code n} examples of {@code len} floats
 * each. ε is in the units of the network input (the features' own units, or the scaled pixels of an image
 * converter); the domain is {@code {lo, hi}} or per-feature (see {@link #lower(float[], int)}), and infinite bounds
 * mean no clipping at all: an attack never leaves the ε-ball and clips only to a declared domain.
 */
public final class ThreatModelMath {
    private ThreatModelMath() {}

    /** The norm of {@code a - b} over one example starting at {@code offset}. */
    public static double distance(float[] a, float[] b, int offset, int len, Norm norm) {
        double acc = 0;
        for (int i = offset; i < offset + len; i++) {
            double d = (double) a[i] - b[i];
            if (norm == Norm.LINF) {
                acc = Math.max(acc, Math.abs(d));
            } else {
                acc += d * d;
            }
        }
        return norm == Norm.LINF ? acc : Math.sqrt(acc);
    }

    /** The norm of {@code v} over one example starting at {@code offset}. */
    public static double norm(float[] v, int offset, int len, Norm norm) {
        double acc = 0;
        for (int i = offset; i < offset + len; i++) {
            if (norm == Norm.LINF) {
                acc = Math.max(acc, Math.abs(v[i]));
            } else {
                acc += (double) v[i] * v[i];
            }
        }
        return norm == Norm.LINF ? acc : Math.sqrt(acc);
    }

    /**
     * Projects each example of {@code adv} onto {ball of radius eps around x} ∩ [lo, hi], in place. For L∞ this
     * is the exact projection (clip to the ball, then to the box); for L2 the perturbation is first rescaled onto
     * the ball, then clipped to the box (which only shrinks it), as in the reference implementations.
     */
    public static void project(float[] adv, float[] x, int n, int len, Norm norm, double eps, float[] bounds) {
        if (norm == Norm.LINF) {
            float e = (float) eps;
            if (bounds.length == 2) { // one box for every feature: a loop without lookups, which the JIT vectorises
                float lo = bounds[0];
                float hi = bounds[1];
                for (int i = 0; i < n * len; i++) {
                    float v = Math.min(Math.max(adv[i], x[i] - e), x[i] + e);
                    adv[i] = Math.min(Math.max(v, lo), hi);
                }
                return;
            }
            int f = bounds.length / 2;
            for (int i = 0; i < n * len; i++) {
                float v = Math.min(Math.max(adv[i], x[i] - e), x[i] + e);
                adv[i] = Math.min(Math.max(v, bounds[i % f]), bounds[f + i % f]);
            }
            return;
        }
        for (int k = 0; k < n; k++) {
            int off = k * len;
            double d = distance(adv, x, off, len, Norm.L2);
            double scale = d > eps ? eps / d : 1.0;
            for (int i = off; i < off + len; i++) {
                float v = scale == 1.0 ? adv[i] : (float) (x[i] + ((double) adv[i] - x[i]) * scale);
                adv[i] = Math.min(Math.max(v, lower(bounds, i)), upper(bounds, i));
            }
            // guard against float rounding pushing the point a hair outside the ball
            double after = distance(adv, x, off, len, Norm.L2);
            if (after > eps) {
                double s = eps / after * (1 - 1e-7);
                for (int i = off; i < off + len; i++) {
                    adv[i] = Math.min(Math.max((float) (x[i] + ((double) adv[i] - x[i]) * s), lower(bounds, i)),
                            upper(bounds, i));
                }
            }
        }
    }

    /**
     * The lower bound of flat element {@code i} of a batch under a declared input domain: {@code bounds} is
     * {@code {lo, hi}} (one box for every feature) or {@code 2F} values (the F per-feature lower bounds, then the F
     * upper bounds); infinite values mean unbounded. Batches hold whole examples, so element {@code i} is feature
     * {@code i mod F}.
     */
    public static float lower(float[] bounds, int i) {
        return bounds.length == 2 ? bounds[0] : bounds[i % (bounds.length / 2)];
    }

    /** The upper bound of flat element {@code i}; see {@link #lower(float[], int)}. */
    public static float upper(float[] bounds, int i) {
        int f = bounds.length / 2;
        return bounds.length == 2 ? bounds[1] : bounds[f + i % f];
    }

    /** Clips every value to the box, in place. */
    public static void clipToBox(float[] v, int count, float[] bounds) {
        for (int i = 0; i < count; i++) {
            v[i] = Math.min(Math.max(v[i], lower(bounds, i)), upper(bounds, i));
        }
    }

    /**
     * The steepest-ascent step of the norm, in place: {@code adv += alpha * sign(g)} for L∞ (sign(0) = 0) and
     * {@code adv += alpha * g / ‖g‖₂} for L2 (no step where the gradient vanishes). {@code alpha} is per example.
     */
    public static void ascentStep(float[] adv, float[] grad, int n, int len, Norm norm, double[] alpha) {
        for (int k = 0; k < n; k++) {
            int off = k * len;
            if (norm == Norm.LINF) {
                float a = (float) alpha[k];
                for (int i = off; i < off + len; i++) {
                    adv[i] = adv[i] + timesSign(a, grad[i]);
                }
            } else {
                double g = norm(grad, off, len, Norm.L2);
                double s = alpha[k] / (g + 1e-12);
                for (int i = off; i < off + len; i++) {
                    adv[i] = (float) (adv[i] + s * grad[i]);
                }
            }
        }
    }

    /**
     * The L∞ step clipped to per-element bounds, in place: {@code adv = clamp(adv + alpha * sign(g), lo, hi)} (as
     * TRADES' KL ascent takes it, with {@code lo}/{@code hi} the ε-ball ∩ domain precomputed per element).
     */
    public static void linfStepClipped(float[] adv, float[] grad, float alpha, float[] lo, float[] hi, int count) {
        for (int i = 0; i < count; i++) {
            float v = adv[i] + timesSign(alpha, grad[i]);
            adv[i] = Math.min(Math.max(v, lo[i]), hi[i]);
        }
    }

    /**
     * {@code a * Math.signum(g)}, bit for bit, without Math.signum's branches (which kept the JIT from vectorising
     * the step loops): {@code a} with its sign flipped where g is negative; sign(±0) = ±0 and NaN as {@code a * g}
     * gives them.
     */
    static float timesSign(float a, float g) {
        float flipped = Float.intBitsToFloat(Float.floatToRawIntBits(a) ^ (Float.floatToRawIntBits(g) & 0x80000000));
        return g == 0f || g != g ? a * g : flipped;
    }

    /** Same step size for all examples. */
    public static void ascentStep(float[] adv, float[] grad, int n, int len, Norm norm, double alpha) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, alpha);
        ascentStep(adv, grad, n, len, norm, a);
    }

    /**
     * A point drawn uniformly from the ε-ball around each example (L∞: each coordinate uniform in [-ε, ε]; L2:
     * Gaussian direction, radius ε·u^(1/d)), then clipped to the box.
     */
    public static float[] randomStart(float[] x, int n, int len, Norm norm, double eps, float[] bounds,
                                      SplittableRandom rng) {
        float[] out = new float[n * len];
        for (int k = 0; k < n; k++) {
            int off = k * len;
            if (norm == Norm.LINF) {
                for (int i = off; i < off + len; i++) {
                    out[i] = (float) (x[i] + eps * (2 * rng.nextDouble() - 1));
                }
            } else {
                double[] g = new double[len];
                double ss = 0;
                for (int i = 0; i < len; i++) {
                    g[i] = gaussian(rng);
                    ss += g[i] * g[i];
                }
                double r = eps * Math.pow(rng.nextDouble(), 1.0 / len) / Math.sqrt(ss + 1e-30);
                for (int i = 0; i < len; i++) {
                    out[off + i] = (float) (x[off + i] + r * g[i]);
                }
            }
        }
        project(out, x, n, len, norm, eps, bounds);
        return out;
    }

    /** A standard normal draw (Box–Muller, so results depend only on the generator's state). */
    static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
