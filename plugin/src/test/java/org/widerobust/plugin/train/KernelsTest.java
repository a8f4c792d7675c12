package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;

import org.junit.jupiter.api.Test;
import org.widerobust.plugin.attack.Scores;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor;

/** The numeric kernels against hand-computed values. */
class KernelsTest {
    @Test
    void runningStatisticsFollowPyTorch() {
        FloatBuffer mean = FloatBuffer.wrap(new float[]{0, 1});
        FloatBuffer var = FloatBuffer.wrap(new float[]{1, 2});
        // batch of 4 values per channel: unbiased variance = biased * 4/3
        RunningStatistics.update(mean, var, FloatBuffer.wrap(new float[]{2, -1}), FloatBuffer.wrap(new float[]{3, 0}),
                4, 0.1);
        assertArrayEquals(new float[]{0.2f, 0.8f}, new float[]{mean.get(0), mean.get(1)}, 1e-6f);
        assertArrayEquals(new float[]{0.9f + 0.1f * 4f, 1.8f}, new float[]{var.get(0), var.get(1)}, 1e-6f);
    }

    @Test
    void valuesPerChannelOfWideResNet() {
        NetworkDescriptor d = Families.create("wrn-10", 0.25);
        Network n = d.build(new long[]{3, 16, 16}, 10, 1, NetworkDescriptor.Mode.TRAINING);
        long[] per = RunningStatistics.valuesPerExample(n);
        assertEquals(n.batchNorms().size(), per.length);
        assertEquals(16 * 16, per[0], "the first block runs at full resolution");
        assertEquals(4 * 4, per[per.length - 1], "the last batch norm runs after two stride-2 stages");
    }

    @Test
    void softmaxAndArgmax() {
        float[] z = {0, 0, Float.NEGATIVE_INFINITY, 1, 3, 2};
        float[] p = Scores.softmax(z, 2, 3);
        assertEquals(0.5f, p[0], 1e-7f);
        assertEquals(0f, p[2], 0f);
        assertEquals(1, Scores.argmax(z, 1, 3));
    }

    @Test
    void learningRateSchedules() {
        assertEquals(0.1, LearningRateSchedule.PIECEWISE.at(0.1, 74, 100), 1e-15);
        assertEquals(0.01, LearningRateSchedule.PIECEWISE.at(0.1, 75, 100), 1e-15);
        assertEquals(0.001, LearningRateSchedule.PIECEWISE.at(0.1, 90, 100), 1e-15);
        assertEquals(0.1, LearningRateSchedule.COSINE.at(0.1, 0, 10), 1e-15);
        assertEquals(0.05, LearningRateSchedule.COSINE.at(0.1, 5, 10), 1e-15);
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.9)), LearningRateSchedule.COSINE.at(0.1, 9, 10), 1e-15);
        assertEquals(0.1, LearningRateSchedule.CONSTANT.at(0.1, 9, 10), 0);
        assertEquals(LearningRateSchedule.COSINE, LearningRateSchedule.parse(" Cosine "));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.parse("step"));
    }

    @Test
    void lipschitzProxyTakesTheLargestL1NormPerExample() {
        float[] max = new float[2];
        LipschitzProxy.accumulate(new float[] {1, -2, 0.5f, 0.5f}, 2, 2, max);
        LipschitzProxy.accumulate(new float[] {-1, 1, 3, 0}, 2, 2, max);
        assertArrayEquals(new float[] {3, 3}, max, 0);
        assertEquals(3, LipschitzProxy.batchMean(max), 0);
    }
}
