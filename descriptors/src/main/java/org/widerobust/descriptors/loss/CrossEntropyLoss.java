package org.widerobust.descriptors.loss;

import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.List;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;

/** Softmax cross-entropy against int64 labels: {@code -log softmax(z)_y}; gradient {@code softmax(z) - onehot(y)}. */
public final class CrossEntropyLoss implements LossHead {
    @Override
    public String name() {
        return "ce";
    }

    @Override
    public List<ValueInfoProto> inputs(int numClasses) {
        return LossGraphs.labelsOnly();
    }

    @Override
    public Outputs build(GraphBuilder g, String logits, int k, Reduction r) {
        String oneHot = LossGraphs.oneHot(g, LossGraphs.LABELS, k);
        String logp = g.op("LogSoftmax", logits, Attr.i("axis", 1));
        String per = LossGraphs.crossEntropyRows(g, oneHot, logp);
        String grad = g.op("Sub", g.op("Exp", logp), oneHot);
        return new Outputs(per, LossGraphs.reduce(g, per, r), LossGraphs.scale(g, grad, logits, r));
    }
}
