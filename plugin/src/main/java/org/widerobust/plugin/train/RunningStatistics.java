package org.widerobust.plugin.train;

import ai.onnx.proto.OnnxMl.NodeProto;

import java.nio.FloatBuffer;
import java.util.List;

import org.widerobust.descriptors.graph.ShapeInference;
import org.widerobust.descriptors.network.Network;

/**
 * Batch-normalisation running statistics as PyTorch updates them in training mode:
 * {@code running_mean = (1 - m)·running_mean + m·batch_mean} and
 * {@code running_var = (1 - m)·running_var + m·batch_var·n/(n - 1)} (the unbiased variance), with {@code m = 0.1}
 * and {@code n} the number of values per channel in the batch ({@code N·H·W}).
 */
public final class RunningStatistics {
    /** PyTorch's default momentum. */
    public static final double MOMENTUM = 0.1;

    private RunningStatistics() {}

    /**
     * Updates the running statistics of one layer in place.
     *
     * @param runningMean running mean {@code [C]}, updated
     * @param runningVar  running variance {@code [C]}, updated
     * @param batchMean   batch mean {@code [C]}
     * @param batchVar    biased batch variance {@code [C]}
     * @param count       values per channel in the batch; the variance is left biased when {@code count <= 1}
     * @param momentum    the weight of the batch statistics
     */
    public static void update(FloatBuffer runningMean, FloatBuffer runningVar, FloatBuffer batchMean,
                              FloatBuffer batchVar, long count, double momentum) {
        int c = runningMean.capacity();
        if (runningVar.capacity() != c || batchMean.capacity() < c || batchVar.capacity() < c) {
            throw new IllegalArgumentException("batch statistics do not match " + c + " channels");
        }
        float m = (float) momentum;
        float keep = 1f - m;
        float unbias = count > 1 ? (float) ((double) count / (count - 1)) : 1f;
        for (int i = 0; i < c; i++) {
            runningMean.put(i, keep * runningMean.get(i) + m * batchMean.get(i));
            runningVar.put(i, keep * runningVar.get(i) + m * (batchVar.get(i) * unbias));
        }
    }

    /**
     * For each batch-norm layer of a training-form network, the number of values per channel contributed by one
     * example ({@code H·W} of the layer's input), found by shape inference.
     *
     * @throws IllegalStateException if a layer's input cannot be traced
     */
    public static long[] valuesPerExample(Network training) {
        List<Network.BatchNormStatistics> bns = training.batchNorms();
        long[] out = new long[bns.size()];
        if (bns.isEmpty()) {
            return out;
        }
        ShapeInference si = ShapeInference.of(training.model());
        for (int i = 0; i < out.length; i++) {
            String value = bns.get(i).batchMean();
            NodeProto n = si.producer(value);
            for (int hop = 0; hop < 6 && n != null && !n.getOpType().equals("ReduceMean"); hop++) {
                n = si.producer(n.getInput(0));
            }
            if (n == null) {
                throw new IllegalStateException("cannot trace the input of batch statistic '" + value + "'");
            }
            long[] shape = si.shape(n.getInput(0));
            long per = 1;
            for (int d = 2; d < shape.length; d++) {
                per *= shape[d];
            }
            out[i] = per;
        }
        return out;
    }
}
