package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.network.Network;

/** Natural, TRADES, PGD and batch-norm training on tiny synthetic data with the real engine. */
class TrainingTest extends CpuEngineTest {
    /** A listener that keeps the warnings. */
    private static TrainingListener collecting(List<String> warnings) {
        return new TrainingListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
    }

    @Test
    void naturalTrainingLearns() {
        DenseDataset train = TrainData.train();
        TrainingResult r = TrainData.base().network("mlp", 1).epochs(4).batchSize(32)
                .learningRate(0.1).build()
                .trainDense(train, engine, false);
        try (NetworkModel m = r.model()) {
            m.useDevice(org.widerobust.adapters.engine.DeviceSpec.CPU);
            double acc = TrainData.accuracy(m, TrainData.test());
            assertTrue(acc > 0.6, "test accuracy " + acc);
        }
        assertEquals(4, r.epochs().size());
        assertEquals(4L * train.size(), r.examples());
    }

    @Test
    void aBudgetCoveringTheWholeInputBoxIsWarnedAbout() {
        List<String> warnings = new java.util.ArrayList<>();
        TrainingListener collect = collecting(warnings);
        DenseDataset few = TrainData.train().first(20);
        TrainData.base().method("pgd").epsilon(8).attackSteps(1).batchSize(20).build().listener(collect)
                .trainDense(few, engine, false);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("training: eps 8.000 is at least the L-inf diameter 1.000 of the input "
                + "box [0.0, 1.0]") && warnings.get(0).contains("8/255"), warnings.get(0));
        warnings.clear();
        TrainData.base().method("pgd").epsilon(8 / 255.0).attackSteps(1).batchSize(20).build().listener(collect)
                .trainDense(few, engine, false);
        assertEquals(List.of(), warnings);
    }

    /** An image converter that divides [0, 1] data by 255 again is warned about; raw pixels are not. */
    @Test
    void aPixelScaleOnDataAlreadyInTheUnitBoxIsWarnedAbout() {
        List<String> warnings = new java.util.ArrayList<>();
        TrainingListener collect = collecting(warnings);
        org.tribuo.MutableDataset<org.tribuo.classification.Label> unit = TrainData.train().first(20).toDataset();
        TrainData.base().method("natural").batchSize(20).threads(2)
                .imageConverter(new org.widerobust.datasets.ImageConverter(1, 28, 28, "chw", 255)).build()
                .listener(collect).train(unit).close();
        assertTrue(warnings.stream().anyMatch(w -> w.contains("pixelScale 255.0") && w.contains("already in [0, 1]")),
                warnings.toString());
        warnings.clear();
        TrainData.base().method("natural").batchSize(20).threads(2)
                .imageConverter(new org.widerobust.datasets.ImageConverter(1, 28, 28, "chw", 1)).build()
                .listener(collect).train(unit).close();
        assertEquals(List.of(), warnings);
    }

    @Test
    void eachEpochsValidationIsAnnouncedBeforeItRuns() {
        List<String> events = new java.util.ArrayList<>();
        TrainingListener collect = new TrainingListener() {
            @Override
            public void validationStarted(int epoch, int examples, String attack) {
                events.add("validate " + epoch + " " + examples + " " + attack);
            }

            @Override
            public void epochFinished(EpochSummary e) {
                events.add("epoch " + e.epoch());
            }
        };
        TrainData.base().method("pgd").attackSteps(1).epochs(2).batchSize(20).validationExamples(20)
                .validationSteps(3).build().listener(collect).trainDense(TrainData.train().first(60), engine, false);
        assertEquals(List.of("validate 1 20 pgd-3", "epoch 1", "validate 2 20 pgd-3", "epoch 2"), events);
    }

    @Test
    void tradesLossDecreases() {
        TrainingResult r = TrainData.base().method("trades").epsilon(0.1).attackSteps(3).stepSize(0.03).epochs(3)
                .learningRate(0.05).build().trainDense(TrainData.train(), engine, false);
        List<EpochSummary> e = r.epochs();
        assertEquals(3, e.size());
        assertTrue(e.get(2).loss() < e.get(0).loss(), "TRADES loss " + e);
        assertFalse(Double.isNaN(e.get(0).adversarialAccuracy()));
        r.model().close();
    }

    @Test
    void pgdTrainingRuns() {
        TrainingResult r = TrainData.base().method("pgd").epsilon(0.1).attackSteps(2).epochs(1).build()
                .trainDense(TrainData.train().first(200), engine, false);
        EpochSummary e = r.epochs().get(0);
        assertTrue(Double.isFinite(e.loss()));
        assertTrue(e.adversarialAccuracy() <= e.cleanAccuracy() + 0.2, e.toString());
        r.model().close();
    }

    @Test
    void wideResNetUpdatesRunningStatistics() {
        DenseDataset data = TrainData.train().first(48);
        TrainingResult r = TrainData.base().network("wrn-10", 0.25).method("trades").attackSteps(1).stepSize(0.05)
                .batchSize(16).build().trainDense(data, engine, false);
        Network net = r.model().network();
        assertTrue(net.batchNorms().isEmpty(), "exported in inference form");
        Map<String, ai.onnx.proto.OnnxMl.TensorProto> init = net.initializers();
        int checked = 0;
        for (String name : init.keySet()) {
            if (name.endsWith("running_mean") || name.endsWith("running_var")) {
                float[] v = Tensors.toFloats(init.get(name));
                float initial = name.endsWith("running_mean") ? 0f : 1f;
                boolean moved = false;
                for (float f : v) {
                    assertTrue(Float.isFinite(f), name);
                    moved |= f != initial;
                }
                assertTrue(moved, name + " still at its initial value");
                checked++;
            }
        }
        assertTrue(checked >= 2, "running statistics found: " + checked);
        float[] z = r.model().logits(java.util.Arrays.copyOf(data.data(), 4 * data.exampleLength()), 4);
        for (float f : z) {
            assertTrue(Float.isFinite(f));
        }
        r.model().close();
    }

    @Test
    void sameSeedGivesIdenticalOnnx() {
        AdversarialTrainer t = TrainData.base().method("trades").attackSteps(2).epochs(1).build();
        DenseDataset data = TrainData.train().first(150);
        byte[] a = t.trainDense(data, engine, false).model().onnxBytes();
        byte[] b = TrainData.base().method("trades").attackSteps(2).epochs(1).build()
                .trainDense(data, engine, false).model().onnxBytes();
        assertArrayEquals(a, b);
        byte[] c = TrainData.base().method("trades").attackSteps(2).epochs(1).seed(8).build()
                .trainDense(data, engine, false).model().onnxBytes();
        assertFalse(java.util.Arrays.equals(a, c), "a different seed gives different weights");
    }

    /** A WAR ratio run shorter than the rule's update interval is warned about: its lambda would never move. */
    @Test
    void aWarRunTooShortForItsIntervalIsWarnedAbout() {
        List<String> warnings = new java.util.ArrayList<>();
        DenseDataset few = TrainData.train().first(40);
        TrainData.base().method("trades").attackSteps(1).batchSize(20).epochs(1)
                .lambdaRule(org.widerobust.plugin.train.war.RatioRule.builder().referenceRatio(0.05).build()).build()
                .listener(collecting(warnings)).trainDense(few, engine, false);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("updates lambda every 20 batches, and this run has 2")),
                warnings.toString());
        warnings.clear();
        TrainData.base().method("trades").attackSteps(1).batchSize(20).epochs(1)
                .lambdaRule(org.widerobust.plugin.train.war.RatioRule.builder().referenceRatio(0.05).interval(1)
                        .build()).build().listener(collecting(warnings)).trainDense(few, engine, false);
        assertTrue(warnings.stream().noneMatch(w -> w.contains("updates lambda every")), warnings.toString());
    }
}
