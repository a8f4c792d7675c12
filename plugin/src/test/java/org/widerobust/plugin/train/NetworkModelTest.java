package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.widerobust.plugin.attack.Scores;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.adapters.network.NetworkSession;

/** The trained model as a Tribuo model: predictions, serialization, ONNX export. */
class NetworkModelTest {
    private static Engine engine;
    private static NetworkModel model;

    @BeforeAll
    static void train() {
        engine = TrainData.cpu();
        model = TrainData.base().network("mlp", 1).epochs(2).batchSize(32).learningRate(0.1).build()
                .trainDense(TrainData.train(), engine, false).model();
        model.useDevice(DeviceSpec.CPU);
    }

    @AfterAll
    static void stop() {
        model.close();
        engine.close();
    }

    @Test
    void predictionsMatchTheEngine() {
        DenseDataset test = TrainData.test().first(64);
        List<Example<Label>> examples = test.toExamples();
        List<Prediction<Label>> preds = model.predict(examples);
        float[] z = new float[test.size() * test.numClasses()];
        try (NetworkSession s = new NetworkSession(engine, model.network())) {
            s.logits(test.data(), test.size(), z);
        }
        for (int i = 0; i < test.size(); i++) {
            Prediction<Label> p = preds.get(i);
            int best = Scores.argmax(z, i, test.numClasses());
            assertEquals(test.labelName(best), p.getOutput().getLabel());
            assertTrue(p.hasProbabilities());
            double sum = p.getOutputScores().values().stream().mapToDouble(Label::getScore).sum();
            assertEquals(1.0, sum, 1e-5);
        }
        Prediction<Label> single = model.predict(examples.get(3));
        assertEquals(preds.get(3).getOutput().getLabel(), single.getOutput().getLabel());
        assertEquals(preds.get(3).getOutput().getScore(), single.getOutput().getScore(), 1e-7);
    }

    @Test
    void serializationRoundTrip(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("model.tribuo");
        model.save(file);
        try (NetworkModel back = NetworkModel.load(file)) {
            back.useDevice(DeviceSpec.CPU);
            assertArrayEquals(model.onnxBytes(), back.onnxBytes());
            assertEquals(model.getProvenance(), back.getProvenance());
            assertEquals(model.labelNames(), back.labelNames());
            DenseDataset test = TrainData.test().first(32);
            assertArrayEquals(model.logits(test.data(), 32), back.logits(test.data(), 32));
            assertNotNull(back.getProvenance().getTrainerProvenance());
            assertNotNull(back.getProvenance().getDatasetProvenance());
        }
    }

    @Test
    void exportedOnnxImportsWithIdenticalLogits(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("model.onnx");
        model.toOnnx(file);
        DenseDataset test = TrainData.test().first(32);
        float[] z = new float[32 * test.numClasses()];
        try (NetworkSession s = new NetworkSession(engine, OnnxClassifierImporter.load(file))) {
            s.logits(test.data(), 32, z);
        }
        assertArrayEquals(model.logits(test.data(), 32), z);
    }

    @Test
    void tribuoTrainerInterface() {
        MutableDataset<Label> ds = TrainData.train().first(100).toDataset();
        AdversarialTrainer t = TrainData.base().device("cpu").threads(2).build();
        Model<Label> m = t.train(ds);
        assertTrue(m instanceof NetworkModel);
        assertEquals(1, t.getInvocationCount());
        assertEquals(ds.getOutputIDInfo().size(), m.getOutputIDInfo().size());
        assertEquals(100, m.getProvenance().getDatasetProvenance().getNumExamples());
        List<Prediction<Label>> p = m.predict(ds);
        assertEquals(100, p.size());
        ((NetworkModel) m).close();
    }
}
