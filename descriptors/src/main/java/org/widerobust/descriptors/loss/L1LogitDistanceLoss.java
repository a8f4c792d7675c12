package org.widerobust.descriptors.loss;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.List;

import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/**
 * The L1 distance of the logits from reference logits {@value #REFERENCE} (the clean ones):
 * {@code sum_j |z_j - z0_j|}; gradient {@code sign(z - z0)}. Numerator of the local Lipschitz estimate.
 */
public final class L1LogitDistanceLoss implements LossHead {
    /** Name of the reference-logits input {@code [N, K]}. */
    public static final String REFERENCE = "reference_logits";

    @Override
    public String name() {
        return "l1-logits";
    }

    @Override
    public List<ValueInfoProto> inputs(int numClasses) {
        return List.of(GraphBuilder.valueInfo(REFERENCE, DataType.FLOAT, Shapes.BATCH, numClasses));
    }

    @Override
    public Outputs build(GraphBuilder g, String logits, int k, Reduction r) {
        String diff = g.op("Sub", logits, REFERENCE);
        String per = LossGraphs.rowSum(g, g.op("Abs", diff));
        String grad = g.op("Sign", diff);
        return new Outputs(per, LossGraphs.reduce(g, per, r), LossGraphs.scale(g, grad, logits, r));
    }
}
