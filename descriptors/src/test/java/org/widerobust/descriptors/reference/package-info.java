/**
 * A plain-Java, double-precision reference interpreter for ONNX graphs, used only by tests. It evaluates the
 * forward networks and the hand-derived gradient graphs that widerobust builds, independently of ONNX Runtime
 * and without float32 rounding, so that gradients can be checked against central finite differences
 * ({@link org.widerobust.descriptors.reference.FiniteDifference}). {@link
 * org.widerobust.descriptors.reference.ReferenceInterpreter} runs a {@code ModelProto} node by node over
 * {@link org.widerobust.descriptors.reference.DTensor} values; each supported ONNX op is an {@code OpKernel}
 * registered by op type in one of the op-family classes ({@code ElementwiseOps}, {@code ShapeOps},
 * {@code IndexOps}, {@code ReduceOps}, {@code LinearOps}, {@code ConvOps}, {@code PoolOps}).
 */
package org.widerobust.descriptors.reference;
