package org.widerobust.descriptors.loss;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.List;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/**
 * The TRADES robust term as an attack loss: {@code KL(p ‖ softmax(z))} where {@code p} (the clean prediction) is the
 * graph input {@value #TARGET}. Gradient with respect to {@code z}: {@code softmax(z) - p}.
 */
public final class KlDivergenceLoss implements LossHead {
    /** Name of the target-probabilities input {@code [N, K]}. */
    public static final String TARGET = "target_probs";

    @Override
    public String name() {
        return "kl";
    }

    @Override
    public List<ValueInfoProto> inputs(int numClasses) {
        return List.of(GraphBuilder.valueInfo(TARGET, DataType.FLOAT, Shapes.BATCH, numClasses));
    }

    @Override
    public Outputs build(GraphBuilder g, String logits, int k, Reduction r) {
        String logq = g.op("LogSoftmax", logits, Attr.i("axis", 1));
        String per = klRows(g, TARGET, logq);
        String grad = g.op("Sub", g.op("Exp", logq), TARGET);
        return new Outputs(per, LossGraphs.reduce(g, per, r), LossGraphs.scale(g, grad, logits, r));
    }

    /** {@code sum_j p_j (log p_j - logq_j)} per row, with {@code 0 log 0 = 0}. */
    static String klRows(GraphBuilder g, String p, String logq) {
        String logp = g.op("Log", g.op("Max", p, g.scalar("tiny", 1e-30f)));
        return LossGraphs.rowSum(g, g.op("Mul", p, g.op("Sub", logp, logq)));
    }
}
