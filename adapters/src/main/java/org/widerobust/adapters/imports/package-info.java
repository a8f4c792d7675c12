/**
 * Import of existing ONNX classifiers (e.g. exported by PyTorch's {@code torch.onnx.export}) as
 * {@link org.widerobust.descriptors.network.Network}s: one float input {@code [batch, ...]}, one logits
 * output {@code [batch, classes]}, weights as float initializers.
 */
package org.widerobust.adapters.imports;
