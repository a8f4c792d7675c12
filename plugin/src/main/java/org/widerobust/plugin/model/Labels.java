package org.widerobust.plugin.model;

import java.util.List;

import org.widerobust.adapters.data.DenseDataset;

/** Aligns a dense dataset's label indices with a model's class order, by label name. */
final class Labels {
    private Labels() {}

    /**
     * The data with label {@code k} meaning {@code modelLabels.get(k)}.
     *
     * @throws ModelLoadException if a data label is unknown to the model
     */
    static DenseDataset align(DenseDataset data, List<String> modelLabels, String model) {
        if (data.labelNames().equals(modelLabels)) {
            return data;
        }
        int[] map = new int[data.numClasses()];
        for (int c = 0; c < map.length; c++) {
            map[c] = modelLabels.indexOf(data.labelName(c));
        }
        int[] labels = data.labels();
        for (int i = 0; i < labels.length; i++) {
            int m = map[labels[i]];
            if (m < 0) {
                throw new ModelLoadException("label mismatch: the data has label '" + data.labelName(labels[i])
                        + "' that model " + model + " does not know (its labels: " + modelLabels + ")");
            }
            labels[i] = m;
        }
        return new DenseDataset(data.data(), data.exampleShape(), labels, modelLabels, data.featureNames(),
                data.provenance(), data.description());
    }
}
