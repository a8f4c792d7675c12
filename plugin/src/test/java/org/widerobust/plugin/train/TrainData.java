package org.widerobust.plugin.train;

import org.widerobust.plugin.attack.Scores;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.datasets.DataSpec;

/** Shared tiny data and a 2-thread CPU engine for the trainer tests. */
final class TrainData {
    private static DenseDataset train;
    private static DenseDataset test;

    private TrainData() {}

    static synchronized DenseDataset train() {
        if (train == null) {
            train = DataSpec.load("synthetic:600", "train", -1);
        }
        return train;
    }

    static synchronized DenseDataset test() {
        if (test == null) {
            test = DataSpec.load("synthetic:300", "test", -1);
        }
        return test;
    }

    static Engine cpu() {
        return Engine.create(DeviceSpec.CPU, 2);
    }

    /** A quiet natural trainer on the mlp family. */
    static AdversarialTrainer.Builder base() {
        return AdversarialTrainer.builder().network("mlp", 0.25).method("natural").epochs(1).batchSize(50)
                .learningRate(0.05).seed(7).progress(false);
    }

    /** Accuracy of a model's engine logits on dense data. */
    static double accuracy(NetworkModel model, DenseDataset data) {
        int n = data.size();
        int k = data.numClasses();
        float[] z = model.logits(data.data(), n);
        int hit = 0;
        for (int i = 0; i < n; i++) {
            if (Scores.argmax(z, i, k) == data.label(i)) {
                hit++;
            }
        }
        return hit / (double) n;
    }
}
