package org.widerobust.descriptors.reference;

/**
 * The forward computation of one ONNX op type. Receives the node (attributes, opset) and its input values,
 * with {@code null} for optional inputs that are absent (empty name or beyond the node's input list), and
 * returns its outputs in order; extra outputs beyond those the node names are ignored.
 */
@FunctionalInterface
interface OpKernel {
    DTensor[] apply(NodeContext node, DTensor[] inputs);
}
