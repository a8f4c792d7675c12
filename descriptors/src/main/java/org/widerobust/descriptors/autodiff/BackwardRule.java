package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

/** Emits the gradient nodes of one forward node: reads output gradients from the context and adds input ones. */
@FunctionalInterface
public interface BackwardRule {
    void backward(NodeProto node, BackwardContext ctx);
}
