package org.widerobust.descriptors.network;

/**
 * The size and per-example compute of a network for one input shape and class count.
 *
 * @param network       the descriptor's {@link NetworkDescriptor#describe()}
 * @param parameters    the number of trainable scalars (weights, biases, batch-norm scale and shift)
 * @param multiplyAdds  multiply-adds for one example: Conv counts output elements × input channels per group ×
 *                      kernel area, Gemm counts in × out; element-wise ops, pooling and normalisation are ignored
 */
public record CostReport(String network, long parameters, long multiplyAdds) {

    @Override
    public String toString() {
        return String.format("%s: %,d parameters, %,d multiply-adds per example", network, parameters, multiplyAdds);
    }
}
