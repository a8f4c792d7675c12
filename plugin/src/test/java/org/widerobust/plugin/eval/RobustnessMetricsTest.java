package org.widerobust.plugin.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RobustnessMetricsTest {
    @Test
    void argmax() {
        int[] p = RobustnessMetrics.argmax(new float[] {0, 2, 1, 5, -1, 4}, 2, 3);
        assertArrayEquals(new int[] {1, 0}, p);
    }

    @Test
    void distancesAndLipschitzRatio() {
        float[] a = {0, 0, 0, 1, 1, 1};
        float[] b = {0.1f, -0.2f, 0, 1, 1, 1};
        assertEquals(0.2, RobustnessMetrics.linfDistance(a, b, 0, 3), 1e-6);
        assertEquals(Math.sqrt(0.05), RobustnessMetrics.l2Distance(a, b, 0, 3), 1e-6);
        assertEquals(0, RobustnessMetrics.linfDistance(a, b, 3, 3));
        float[] fa = {1, 2};
        float[] fb = {2, 0};
        assertEquals(3 / 0.2, RobustnessMetrics.lipschitzRatio(fa, fb, 0, 2, a, b, 3), 1e-4);
        assertTrue(Double.isNaN(RobustnessMetrics.lipschitzRatio(fa, fb, 0, 2, a, a, 3)));
    }

    @Test
    void probabilityAndGradientChecks() {
        assertTrue(RobustnessMetrics.looksLikeProbabilities(new float[] {0.2f, 0.8f, 1, 0}, 2, 2, 1e-3));
        assertFalse(RobustnessMetrics.looksLikeProbabilities(new float[] {0.2f, 0.8f, 2, -1}, 2, 2, 1e-3));
        assertEquals(1, RobustnessMetrics.zeroGradientRows(new float[] {0, 0, 0, 1e-30f}, 2, 2));
        assertTrue(RobustnessMetrics.inThreatModel(a(), b(), 0, 2, 0.1, true, 0, 1));
        assertFalse(RobustnessMetrics.inThreatModel(a(), new float[] {0.5f, 0.7f}, 0, 2, 0.1, true, 0, 1));
    }

    private static float[] a() {
        return new float[] {0.5f, 0.5f};
    }

    private static float[] b() {
        return new float[] {0.6f, 0.4f};
    }
}
