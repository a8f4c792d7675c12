package org.widerobust.descriptors.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;

class InitTest {

    private static float[] values(Network net, String name) {
        return Tensors.toFloats(net.initializers().get(name));
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * U(-b, b): every value inside, the extreme within 10/n of b (missed with probability e^-10), the mean and
     * standard deviation b / sqrt(3) within about five standard errors.
     */
    private static void assertUniform(float[] v, double bound, String what) {
        double sigma = bound / Math.sqrt(3);
        double n = v.length;
        assertTrue(maxAbs(v) <= bound, what + " exceeds " + bound);
        assertTrue(maxAbs(v) > (1 - 10 / n) * bound, what + " does not reach " + bound);
        assertEquals(sigma, std(v), Math.max(0.02, 2.5 / Math.sqrt(n)) * sigma, what + " std");
        assertEquals(0, mean(v), 5 * sigma / Math.sqrt(n), what + " mean");
    }

    @Test
    void tradesInitForSmallCnn() {
        Network net = new SmallCnnDescriptor(2).build(new long[] {1, 28, 28}, 10, 11, Mode.INFERENCE);
        assertUniform(values(net, "fc1.weight"), 1 / Math.sqrt(128 * 16), "fc1.weight");
        assertUniform(values(net, "fc2.weight"), 1 / Math.sqrt(400), "fc2.weight");
        assertUniform(values(net, "fc1.bias"), 1 / Math.sqrt(128 * 16), "fc1.bias");
        float[] conv4 = values(net, "conv4.weight");
        double s = Math.sqrt(2.0 / (128 * 9));
        assertEquals(s, std(conv4), Math.max(0.02, 3.5 / Math.sqrt(conv4.length)) * s, "conv4.weight std");
        assertEquals(0, mean(conv4), 5 * s / Math.sqrt(conv4.length), "conv4.weight mean");
        assertEquals(0, maxAbs(values(net, "conv2.bias")));
        assertEquals(0, maxAbs(values(net, "fc3.weight")));
        assertEquals(0, maxAbs(values(net, "fc3.bias")));
    }

    @Test
    void tradesInitForWideResNet() {
        Network net = new WideResNetDescriptor(16, 2).build(new long[] {3, 32, 32}, 10, 3, Mode.INFERENCE);
        Map<String, double[]> expectedStd = Map.of("block3.1.conv2.weight", new double[] {Math.sqrt(2.0 / (9 * 128))},
                "block2.0.conv1.weight", new double[] {Math.sqrt(2.0 / (9 * 64))},
                "block3.0.convShortcut.weight", new double[] {Math.sqrt(2.0 / 128)});
        expectedStd.forEach((name, s) -> {
            float[] v = values(net, name);
            assertEquals(s[0], std(v), Math.max(0.02, 3.5 / Math.sqrt(v.length)) * s[0], name + " std");
            assertEquals(0, mean(v), 5 * s[0] / Math.sqrt(v.length), name + " mean");
            assertTrue(maxAbs(v) < 6 * s[0], name + " tail");
        });
        assertUniform(values(net, "fc.weight"), 1 / Math.sqrt(128), "fc.weight");
        assertEquals(0, maxAbs(values(net, "fc.bias")));
        assertEquals(0, maxAbs(values(net, "block2.1.bn2.bias")));
        for (float x : values(net, "block2.1.bn2.weight")) {
            assertEquals(1f, x);
        }
    }
}
