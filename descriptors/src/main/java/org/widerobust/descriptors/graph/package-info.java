/**
 * A small builder over ONNX's protobuf classes, static shape inference with a symbolic batch dimension,
 * and constant folding of the small integer tensors that shape arithmetic uses.
 */
package org.widerobust.descriptors.graph;
