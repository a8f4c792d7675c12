package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.datasets.DataSpec;

/** Bad configurations and data fail before training; a diverging run stops naming epoch and batch. */
class ConfigurationTest extends CpuEngineTest {
    private static void rejects(String property, UnaryOperator<AdversarialTrainer.Builder> change) {
        PropertyException e = assertThrows(PropertyException.class, () -> change.apply(TrainData.base()).build());
        assertEquals(property, e.getProperty(), e.getMessage());
    }

    @Test
    void invalidSettings() {
        rejects("epsilon", b -> b.epsilon(0));
        rejects("epsilon", b -> b.epsilon(-0.1));
        rejects("epsilon", b -> b.epsilon(Double.NaN));
        rejects("lambda", b -> b.lambda(-1));
        rejects("epochs", b -> b.epochs(0));
        rejects("batchSize", b -> b.batchSize(0));
        rejects("learningRate", b -> b.learningRate(0));
        rejects("weightDecay", b -> b.weightDecay(-1e-4));
        rejects("momentum", b -> b.momentum(1));
        rejects("attackSteps", b -> b.attackSteps(0));
        rejects("method", b -> b.method("fgsm"));
        rejects("family", b -> b.network("resnet", 1));
        rejects("width", b -> b.network("mlp", -2));
        rejects("device", b -> b.device("tpu"));
    }

    @Test
    void dataThatDoesNotFitTheFamily() {
        DenseDataset tiny = new org.widerobust.datasets.SyntheticImageDataSource(8,
                org.widerobust.datasets.Split.TRAIN, -1, 42, 10, 3, 8, 8)
                .dense();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainData.base().network("smallcnn", 1).build().trainDense(tiny, engine, false));
        assertTrue(e.getMessage().contains("[3, 8, 8]") || e.getMessage().contains("3, 8, 8"), e.getMessage());
    }

    @Test
    void divergenceNamesEpochAndBatchAndKeepsTheCheckpoint(@TempDir Path tmp) throws Exception {
        AdversarialTrainer t = TrainData.base().learningRate(1e6).epochs(3).batchSize(20).checkpointDir(tmp)
                .checkpointEvery(1).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> t.trainDense(DataSpec.load("synthetic:200", "train", -1), engine, false));
        assertTrue(e.getMessage().contains("epoch " + e.epoch() + ", batch " + e.batch()), e.getMessage());
        assertTrue(e.epoch() >= 1 && e.batch() >= 1);
        System.out.println(e.getMessage());
        if (e.epoch() > 1 || e.batch() > 1) {
            assertTrue(Files.exists(tmp.resolve(Checkpoint.FILE)));
            assertTrue(e.getMessage().contains(tmp.resolve(Checkpoint.FILE).toString()));
        }
    }

    @Test
    void provenanceRecordsTheConfiguration() {
        AdversarialTrainer t = TrainData.base().method("pgd").epsilon(0.2).build();
        String text = ProvenanceUtil.formattedProvenanceString(t.getProvenance());
        assertTrue(text.contains("epsilon") && text.contains("0.2") && text.contains("pgd"), text);
    }

    @Test
    void scheduleDecaysAtThreeQuartersAndNineTenths() {
        assertEquals(0.1, LearningRateSchedule.rate(0.1, 0, 100), 0);
        assertEquals(0.1, LearningRateSchedule.rate(0.1, 74, 100), 0);
        assertEquals(0.01, LearningRateSchedule.rate(0.1, 75, 100), 1e-12);
        assertEquals(0.01, LearningRateSchedule.rate(0.1, 89, 100), 1e-12);
        assertEquals(0.001, LearningRateSchedule.rate(0.1, 90, 100), 1e-12);
        assertEquals(0.1, LearningRateSchedule.rate(0.1, 0, 1), 0);
        assertEquals(0.1, LearningRateSchedule.rate(0.1, 1, 2), 0, "short runs keep the base rate");
        assertEquals(0.1, LearningRateSchedule.rate(0.1, 2, 3), 0);
        assertEquals(0.01, LearningRateSchedule.rate(0.1, 3, 4), 1e-12);
    }
}
