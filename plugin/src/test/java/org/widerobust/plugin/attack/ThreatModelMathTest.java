package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The shared numeric kernels. */
class ThreatModelMathTest {
    private static final float[] BOX = {0f, 1f};

    @Test
    void linfProjectionClipsToBallThenBox() {
        float[] x = {0.5f, 0.02f, 0.99f};
        float[] adv = {0.7f, -0.5f, 1.2f};
        ThreatModelMath.project(adv, x, 1, 3, Norm.LINF, 0.1, BOX);
        assertArrayEquals(new float[] {0.6f, 0f, 1f}, adv, 1e-6f);
    }

    /** Per-feature domains clip each feature to its own bounds; an undeclared domain never clips. */
    @Test
    void projectionClipsOnlyToTheDeclaredDomain() {
        // two examples of two features: feature 0 in [-5, 20], feature 1 in [0, 1]
        float[] perFeature = {-5f, 0f, 20f, 1f};
        float[] x = {19.95f, 0.5f, 3f, 0.98f};
        float[] adv = {25f, 0.3f, -10f, 1.5f};
        ThreatModelMath.project(adv, x, 2, 2, Norm.LINF, 0.1, perFeature);
        assertArrayEquals(new float[] {20f, 0.4f, 2.9f, 1f}, adv, 1e-6f);
        float[] far = {7.6f, 3f};
        float[] y = {7f, 3.5f};
        ThreatModelMath.project(far, y, 1, 2, Norm.LINF, 0.1, new float[] {Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY});
        assertArrayEquals(new float[] {7.1f, 3.4f}, far, 1e-6f);
        float[] v = {30f, -2f, -30f, 2f};
        ThreatModelMath.clipToBox(v, 4, perFeature);
        assertArrayEquals(new float[] {20f, 0f, -5f, 1f}, v, 0f);
    }

    @Test
    void l2ProjectionScalesOntoTheBallAndStaysInTheBox() {
        float[] x = {0.5f, 0.5f, 0.0f, 0.5f};
        float[] adv = {1.5f, 0.5f, 0.0f, 0.5f, /* second example */ 0.5f, 0.5f, 0.0f, 0.5f};
        float[] xx = {0.5f, 0.5f, 0.0f, 0.5f, 0.5f, 0.5f, 0.0f, 0.5f};
        ThreatModelMath.project(adv, xx, 2, 4, Norm.L2, 0.3, BOX);
        assertEquals(0.8f, adv[0], 1e-6f);
        assertEquals(0.3, ThreatModelMath.distance(adv, x, 0, 4, Norm.L2), 1e-6);
        assertEquals(0.0, ThreatModelMath.distance(adv, xx, 4, 4, Norm.L2), 0);
    }

    @Test
    void randomStartsLieInTheBallAndTheBox() {
        int n = 20;
        int len = 50;
        float[] x = new float[n * len];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        for (Norm norm : Norm.values()) {
            float[] s = ThreatModelMath.randomStart(x, n, len, norm, 0.2, BOX, new SplittableRandom(2));
            for (int k = 0; k < n; k++) {
                assertTrue(ThreatModelMath.distance(s, x, k * len, len, norm) <= 0.2 + 1e-6);
            }
            for (float v : s) {
                assertTrue(v >= 0 && v <= 1);
            }
            assertArrayEquals(s, ThreatModelMath.randomStart(x, n, len, norm, 0.2, BOX, new SplittableRandom(2)));
        }
    }

    /**
     * The L∞ step and projection are written for speed (no Math.signum branches, no per-element bound lookups);
     * they must give exactly the bits of their definitions, so trained models do not change: signed zeros, zero
     * and negative step sizes, per-feature domains included.
     */
    @Test
    void fastLinfKernelsEqualTheirDefinitionsBitForBit() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        int n = 7;
        int len = 33;
        float[] x = new float[n * len];
        float[] grad = new float[n * len];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-0.2, 1.2);
            grad[i] = switch (i % 9) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> Float.MIN_VALUE;
                case 3 -> -Float.MIN_VALUE;
                default -> (float) rng.nextGaussian();
            };
        }
        double[] alphas = {0.01, 0, -0.03, 1e-9, 0.25, 3, 0.007};
        float[] fast = x.clone();
        ThreatModelMath.ascentStep(fast, grad, n, len, Norm.LINF, alphas);
        float[] slow = x.clone();
        for (int i = 0; i < slow.length; i++) {
            slow[i] = slow[i] + (float) alphas[i / len] * Math.signum(grad[i]);
        }
        assertBitsEqual(slow, fast, "ascent step");

        // TRADES' clipped step, against its definition
        float[] lo = new float[x.length];
        float[] hi = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            lo[i] = Math.max(x[i] - 0.05f, 0f);
            hi[i] = Math.min(x[i] + 0.05f, 1f);
        }
        float[] clipped = fast.clone();
        ThreatModelMath.linfStepClipped(clipped, grad, 0.02f, lo, hi, x.length);
        float[] clippedSlow = fast.clone();
        for (int i = 0; i < x.length; i++) {
            clippedSlow[i] = Math.min(Math.max(clippedSlow[i] + 0.02f * Math.signum(grad[i]), lo[i]), hi[i]);
        }
        assertBitsEqual(clippedSlow, clipped, "clipped step");

        float[][] domains = {{0f, 1f}, {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, perFeature(len, rng)};
        for (float[] bounds : domains) {
            float[] p = fast.clone();
            ThreatModelMath.project(p, x, n, len, Norm.LINF, 0.05, bounds);
            float[] q = fast.clone();
            for (int i = 0; i < q.length; i++) {
                float v = Math.min(Math.max(q[i], x[i] - 0.05f), x[i] + 0.05f);
                q[i] = Math.min(Math.max(v, ThreatModelMath.lower(bounds, i)), ThreatModelMath.upper(bounds, i));
            }
            assertBitsEqual(q, p, "projection onto " + bounds.length / 2 + " box(es)");
        }
    }

    private static float[] perFeature(int len, java.util.SplittableRandom rng) {
        float[] b = new float[2 * len];
        for (int f = 0; f < len; f++) {
            b[f] = (float) rng.nextDouble(-0.1, 0.4);
            b[len + f] = b[f] + (float) rng.nextDouble(0.1, 1);
        }
        return b;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + " at " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    @Test
    void stepsAreSignedForLinfAndNormalisedForL2() {
        float[] adv = {0f, 0f, 0f};
        float[] g = {3f, -0.1f, 0f};
        ThreatModelMath.ascentStep(adv, g, 1, 3, Norm.LINF, 0.5);
        assertArrayEquals(new float[] {0.5f, -0.5f, 0f}, adv);
        float[] adv2 = {0f, 0f};
        ThreatModelMath.ascentStep(adv2, new float[] {3f, 4f}, 1, 2, Norm.L2, 1.0);
        assertArrayEquals(new float[] {0.6f, 0.8f}, adv2, 1e-6f);
    }
}
