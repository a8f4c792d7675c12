/**
 * Image data sources for widerobust: Tribuo {@code ConfigurableDataSource<Label>}s for IDX files
 * ({@link org.widerobust.datasets.IdxImageDataSource}), CIFAR-10/100 binary files
 * ({@link org.widerobust.datasets.CifarDataSource}) and a seeded synthetic generator
 * ({@link org.widerobust.datasets.SyntheticImageDataSource}), each loading straight into a dense
 * {@link org.widerobust.adapters.data.DenseDataset} and recording its files (path, size, SHA-256, modification time),
 * split, scaling and limit in {@link org.widerobust.datasets.ImageDataSourceProvenance}; the command-line data-spec
 * syntax ({@link org.widerobust.datasets.DataSpec}); and {@link org.widerobust.datasets.DataFormatException} for bad
 * input, which names the file and the problem.
 */
package org.widerobust.datasets;
