package org.widerobust.descriptors.loss;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.List;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/** Graph idioms shared by the loss heads. */
final class LossGraphs {
    /** Name of the int64 label input {@code [N]}. */
    static final String LABELS = "labels";

    private LossGraphs() {}

    static ValueInfoProto labelsInput() {
        return GraphBuilder.valueInfo(LABELS, DataType.INT64, Shapes.BATCH);
    }

    static List<ValueInfoProto> labelsOnly() {
        return List.of(labelsInput());
    }

    /** One-hot float {@code [N, K]} of int64 indices {@code [N]}. */
    static String oneHot(GraphBuilder g, String indices, int k) {
        String depth = g.longs("depth", k);
        String values = g.constant("onehot_values", new long[] {2}, new float[] {0f, 1f});
        return g.op("OneHot", List.of(indices, depth, values), Attr.i("axis", -1));
    }

    /** The per-example cross-entropy {@code -Σ_c onehot·log p} {@code [N]} from one-hot labels and log-probs. */
    static String crossEntropyRows(GraphBuilder g, String oneHot, String logProbabilities) {
        return g.op("Neg", rowSum(g, g.op("Mul", oneHot, logProbabilities)));
    }

    /** Row sums {@code [N]} of a {@code [N, K]} tensor. */
    static String rowSum(GraphBuilder g, String x) {
        return g.op("ReduceSum", x, g.longs("axis1", 1), Attr.i("keepdims", 0));
    }

    /** Scales {@code x} by 1 for SUM or by 1 / batch for MEAN, where the batch is dimension 0 of {@code ref}. */
    static String scale(GraphBuilder g, String x, String ref, Reduction r) {
        if (r == Reduction.SUM) {
            return x;
        }
        return g.op("Div", x, batchSize(g, ref));
    }

    /** The batch size of {@code ref} as a float scalar. */
    static String batchSize(GraphBuilder g, String ref) {
        String shape = g.op("Shape", ref);
        String n = g.op("Gather", shape, g.longs("zero", 0), Attr.i("axis", 0));
        return g.op("Cast", n, Attr.i("to", DataType.FLOAT.getNumber()));
    }

    static String reduce(GraphBuilder g, String perExample, Reduction r) {
        return g.op(r == Reduction.SUM ? "ReduceSum" : "ReduceMean", perExample, Attr.i("keepdims", 0));
    }

    /** The largest logit other than the one at {@code oneHot}: returns {value [N], one-hot of its index [N,K]}. */
    static String[] maxOther(GraphBuilder g, String logits, String oneHot, int k) {
        String penalty = g.op("Mul", oneHot, g.scalar("big", 1e9f));
        String masked = g.op("Sub", logits, penalty);
        String idx = g.op("ArgMax", masked, Attr.i("axis", 1), Attr.i("keepdims", 0));
        String oh = oneHot(g, idx, k);
        String value = rowSum(g, g.op("Mul", logits, oh));
        return new String[] {value, oh};
    }

    /** Logit at the one-hot position, {@code [N]}. */
    static String pick(GraphBuilder g, String logits, String oneHot) {
        return rowSum(g, g.op("Mul", logits, oneHot));
    }

    /** Unsqueezes {@code [N]} to {@code [N, 1]}. */
    static String column(GraphBuilder g, String v) {
        return g.op("Unsqueeze", v, g.longs("axes", 1));
    }
}
