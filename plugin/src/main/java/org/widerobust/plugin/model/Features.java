package org.widerobust.plugin.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.widerobust.adapters.data.DenseDataset;

/** Puts dense data into a model's feature order. */
final class Features {
    private Features() {}

    /**
     * The data with feature {@code j} being {@code modelFeatures.get(j)} and examples of {@code modelShape}.
     *
     * @throws ModelLoadException naming a model feature the data lacks
     */
    static DenseDataset reorder(DenseDataset data, List<String> modelFeatures, long[] modelShape, String model) {
        if (data.featureNames().equals(modelFeatures)) {
            Shapes.checkCompatible(model, modelShape, data.exampleShape());
            return data;
        }
        Map<String, Integer> index = new HashMap<>();
        List<String> names = data.featureNames();
        for (int j = 0; j < names.size(); j++) {
            index.put(names.get(j), j);
        }
        int f = modelFeatures.size();
        int[] from = new int[f];
        for (int j = 0; j < f; j++) {
            Integer i = index.get(modelFeatures.get(j));
            if (i == null) {
                throw new ModelLoadException("feature mismatch: model " + model + " needs feature '"
                        + modelFeatures.get(j) + "' which the data (" + names.size() + " features, e.g. '"
                        + (names.isEmpty() ? "" : names.get(0)) + "') does not have");
            }
            from[j] = i;
        }
        int len = data.exampleLength();
        float[] src = data.data();
        float[] dst = new float[data.size() * f];
        for (int e = 0; e < data.size(); e++) {
            for (int j = 0; j < f; j++) {
                dst[e * f + j] = src[e * len + from[j]];
            }
        }
        return new DenseDataset(dst, modelShape, data.labels(), data.labelNames(), modelFeatures, data.provenance(),
                data.description());
    }
}
