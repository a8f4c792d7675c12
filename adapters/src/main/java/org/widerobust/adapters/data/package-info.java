/**
 * Dense tensors for Tribuo data: {@link org.widerobust.adapters.data.DenseDataset} holds a whole split as one
 * contiguous {@code float[]} in C order with its shape and integer labels, built once and shared by trainers and
 * evaluators; {@link org.widerobust.adapters.data.ExampleTensorMapper} converts any Tribuo
 * {@code Dataset<Label>} with numeric features to and from it; {@link org.widerobust.adapters.data.PixelFeatureNames}
 * is the single home of the pixel feature naming rule; {@link org.widerobust.adapters.data.Npy} reads and writes
 * NumPy {@code .npy} files; {@link org.widerobust.adapters.data.Augmentation} applies seeded random crop and flip.
 */
package org.widerobust.adapters.data;
