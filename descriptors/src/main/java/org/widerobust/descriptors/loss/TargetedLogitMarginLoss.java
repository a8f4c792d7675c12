package org.widerobust.descriptors.loss;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayList;
import java.util.List;

import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/**
 * The linear logit difference {@code z_t − z_y} towards a target class {@code t} (the int64 input
 * {@value DlrLoss#TARGET}, {@code [N]}): its input gradient {@code ∇z_t − ∇z_y} is the normal of the linearised
 * decision boundary between {@code y} and {@code t} that FAB (Croce &amp; Hein, ICML 2020) projects onto. Needs 2
 * classes.
 */
public final class TargetedLogitMarginLoss implements LossHead {
    /** The loss's name in {@link Losses}. */
    public static final String NAME = "margin-targeted";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ValueInfoProto> inputs(int numClasses) {
        List<ValueInfoProto> in = new ArrayList<>(LossGraphs.labelsOnly());
        in.add(GraphBuilder.valueInfo(DlrLoss.TARGET, DataType.INT64, Shapes.BATCH));
        return in;
    }

    @Override
    public Outputs build(GraphBuilder g, String logits, int k, Reduction r) {
        String yHot = LossGraphs.oneHot(g, LossGraphs.LABELS, k);
        String tHot = LossGraphs.oneHot(g, DlrLoss.TARGET, k);
        String per = g.op("Sub", LossGraphs.pick(g, logits, tHot), LossGraphs.pick(g, logits, yHot));
        String grad = g.op("Sub", tHot, yHot);
        return new Outputs(per, LossGraphs.reduce(g, per, r), LossGraphs.scale(g, grad, logits, r));
    }
}
