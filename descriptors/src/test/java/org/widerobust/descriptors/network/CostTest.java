package org.widerobust.descriptors.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;

class CostTest {
    private static final long[] MNIST = {1, 28, 28};
    private static final long[] CIFAR = {3, 32, 32};

    private static long conv(long in, long out, long k, boolean bias) {
        return in * out * k * k + (bias ? out : 0);
    }

    private static long linear(long in, long out) {
        return in * out + out;
    }

    private static long smallCnnParameters(long c, long a, long b, long h, long classes) {
        return conv(c, a, 3, true) + conv(a, a, 3, true) + conv(a, b, 3, true) + conv(b, b, 3, true)
                + linear(b * 16, h) + linear(h, h) + linear(h, classes);
    }

    @Test
    void smallCnnParameterCountByHand() {
        long expected = (288 + 32) + (32 * 32 * 9 + 32) + (32 * 64 * 9 + 64) + (64 * 64 * 9 + 64)
                + (1024 * 200 + 200) + (200 * 200 + 200) + (200 * 10 + 10);
        assertEquals(312_202, expected);
        SmallCnnDescriptor d = new SmallCnnDescriptor(1);
        assertEquals(expected, d.parameterCount(MNIST, 10));
        assertEquals(expected, d.build(MNIST, 10, 1, Mode.INFERENCE).parameterCount());
    }

    @Test
    void smallCnnScalesWithWidth() {
        assertEquals(smallCnnParameters(1, 64, 128, 400, 10), new SmallCnnDescriptor(2).parameterCount(MNIST, 10));
        assertEquals(smallCnnParameters(1, 16, 32, 100, 10), new SmallCnnDescriptor(0.5).parameterCount(MNIST, 10));
        assertEquals(smallCnnParameters(3, 32, 64, 200, 7), new SmallCnnDescriptor(1).parameterCount(new long[] {3, 28, 28}, 7));
    }

    @Test
    void smallCnnMultiplyAddsByHand() {
        long expected = 26L * 26 * 32 * (1 * 9) + 24L * 24 * 32 * (32 * 9) + 10L * 10 * 64 * (32 * 9)
                + 8L * 8 * 64 * (64 * 9) + 1024L * 200 + 200L * 200 + 200L * 10;
        assertEquals(9_952_400, expected);
        assertEquals(expected, new SmallCnnDescriptor(1).multiplyAdds(MNIST, 10));
    }

    /** WRN-D-k with integer k on C input channels, from the block structure. */
    private static long wrnParameters(int depth, int k, long c, long classes) {
        int n = (depth - 4) / 6;
        long total = conv(c, 16, 3, false);
        long in = 16;
        for (long width : new long[] {16L * k, 32L * k, 64L * k}) {
            total += 2 * in + conv(in, width, 3, false) + 2 * width + conv(width, width, 3, false)
                    + (in != width ? in * width : 0);
            total += (n - 1) * (4 * width + 2 * conv(width, width, 3, false));
            in = width;
        }
        return total + 2 * in + linear(in, classes);
    }

    @Test
    void wideResNetParameterCount() {
        assertEquals(691_674, wrnParameters(16, 2, 3, 10));
        WideResNetDescriptor d = new WideResNetDescriptor(16, 2);
        assertEquals(691_674, d.parameterCount(CIFAR, 10));
        assertEquals(691_674, d.build(CIFAR, 10, 3, Mode.TRAINING).parameterCount());
        assertEquals(wrnParameters(34, 10, 3, 10), new WideResNetDescriptor(34, 10).parameterCount(CIFAR, 10));
        assertEquals(wrnParameters(10, 1, 1, 10), new WideResNetDescriptor(10, 1).parameterCount(MNIST, 10));
    }

    @Test
    void wideResNetMultiplyAddsOnSmallestNetwork() {
        // WRN-10-1 on 1×8×8: one block per group, widths 16, 32, 64, spatial 8, 4, 2.
        long expected = 64L * 16 * 9                       // conv1
                + 64L * 16 * 16 * 9 * 2                      // block1: two 3×3 convs 16→16
                + 16L * 32 * 16 * 9 + 16L * 32 * 32 * 9 + 16L * 32 * 16  // block2: conv1, conv2, shortcut
                + 4L * 64 * 32 * 9 + 4L * 64 * 64 * 9 + 4L * 64 * 32     // block3
                + 64L * 10;                                   // fc
        assertEquals(expected, new WideResNetDescriptor(10, 1).multiplyAdds(new long[] {1, 8, 8}, 10));
    }

    @Test
    void mlpParameterCount() {
        assertEquals(linear(784, 256) + linear(256, 256) + linear(256, 10),
                new MlpDescriptor(1).parameterCount(MNIST, 10));
        assertEquals(linear(20, 1024) + linear(1024, 1024) + linear(1024, 3),
                new MlpDescriptor(4).parameterCount(new long[] {20}, 3));
        assertEquals(linear(5, 150) + linear(150, 2), new MlpDescriptor(1.5, 100).parameterCount(new long[] {5}, 2));
        assertEquals(784L * 256 + 256L * 256 + 256L * 10, new MlpDescriptor(1).multiplyAdds(MNIST, 10));
    }

    @Test
    void costReportNamesTheNetwork() {
        CostReport r = new SmallCnnDescriptor(2).cost(MNIST, 10);
        assertEquals("smallcnn(k=2)", r.network());
        assertEquals(r.parameters(), new SmallCnnDescriptor(2).parameterCount(MNIST, 10));
    }
}
