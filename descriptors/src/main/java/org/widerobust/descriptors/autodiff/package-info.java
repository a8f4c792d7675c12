/**
 * Reverse-mode differentiation of ONNX graphs into ONNX graphs. {@link org.widerobust.descriptors.autodiff.Differentiator}
 * appends a loss head and, walking the forward nodes backwards, one {@link org.widerobust.descriptors.autodiff.BackwardRule}
 * per node; the result is an ordinary ONNX graph that outputs the loss and the requested gradients, run by ONNX Runtime
 * like any other.
 */
package org.widerobust.descriptors.autodiff;
