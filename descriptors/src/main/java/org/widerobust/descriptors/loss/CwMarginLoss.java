package org.widerobust.descriptors.loss;

import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.List;

import org.widerobust.descriptors.graph.GraphBuilder;

/** Carlini-Wagner margin, to be maximised: {@code max_{j≠y} z_j - z_y}. */
public final class CwMarginLoss implements LossHead {
    @Override
    public String name() {
        return "cw";
    }

    @Override
    public List<ValueInfoProto> inputs(int numClasses) {
        return LossGraphs.labelsOnly();
    }

    @Override
    public Outputs build(GraphBuilder g, String logits, int k, Reduction r) {
        String oneHot = LossGraphs.oneHot(g, LossGraphs.LABELS, k);
        String[] other = LossGraphs.maxOther(g, logits, oneHot, k);
        String per = g.op("Sub", other[0], LossGraphs.pick(g, logits, oneHot));
        String grad = g.op("Sub", other[1], oneHot);
        return new Outputs(per, LossGraphs.reduce(g, per, r), LossGraphs.scale(g, grad, logits, r));
    }
}
