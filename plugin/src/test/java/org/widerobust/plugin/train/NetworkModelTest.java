package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.widerobust.plugin.attack.Scores;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.plugin.model.ModelLoadException;
import org.widerobust.plugin.model.ModelLoader;
import org.widerobust.plugin.model.OnnxImports;
import org.widerobust.adapters.imports.ImportedModel;

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

    /** Tribuo's own model-test round trip: serialize, deserialize, equal provenance, identical predictions. */
    @Test
    void protobufRoundTrip(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("model.tribuo");
        model.serializeToFile(file);
        Model<?> read = Model.deserializeFromFile(file);
        assertInstanceOf(NetworkModel.class, read);
        try (NetworkModel back = (NetworkModel) read) {
            back.useDevice(DeviceSpec.CPU);
            assertArrayEquals(model.onnxBytes(), back.onnxBytes());
            assertEquals(model.getProvenance(), back.getProvenance());
            assertEquals(model.getFeatureIDMap().size(), back.getFeatureIDMap().size());
            assertEquals(model.getOutputIDInfo().getDomain(), back.getOutputIDInfo().getDomain());
            assertEquals(model.labelNames(), back.labelNames());
            assertEquals(model.featureNames(), back.featureNames());
            assertEquals(model.history(), back.history());
            assertEquals(2, back.history().size());
            assertEquals(model.trainedOn(), back.trainedOn());
            assertArrayEquals(model.inputDomain(), back.inputDomain());
            List<Example<Label>> examples = TrainData.test().first(40).toExamples();
            List<Prediction<Label>> a = model.predict(examples);
            List<Prediction<Label>> b = back.predict(examples);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).getOutput(), b.get(i).getOutput());
                assertEquals(a.get(i).getOutputScores(), b.get(i).getOutputScores());
            }
        }
        // save() writes the same format, atomically
        Path saved = tmp.resolve("saved.tribuo");
        model.save(saved);
        try (NetworkModel back = NetworkModel.load(saved)) {
            assertEquals(model.getProvenance(), back.getProvenance());
        }
    }

    @Test
    void javaSerializationIsRefusedWithAClearError(@TempDir Path tmp) throws Exception {
        // widerobust 0.1 wrote model.tribuo with Java serialization; fixture made by make-java-serialized-model.sh
        Path old = Path.of("src/test/resources/legacy/java-serialized-model.tribuo");
        IOException e = assertThrows(IOException.class, () -> NetworkModel.load(old));
        assertTrue(e.getMessage().contains("Java-serialized widerobust model"), e.getMessage());
        assertTrue(e.getMessage().contains("java-serialized-model.tribuo"), e.getMessage());
        ModelLoadException le = assertThrows(ModelLoadException.class, () -> ModelLoader.load(old, engine));
        assertTrue(le.getMessage().contains("Java-serialized widerobust model"), le.getMessage());
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            NotSerializableException w = assertThrows(NotSerializableException.class, () -> out.writeObject(model));
            assertTrue(w.getMessage().contains("protobuf"), w.getMessage());
        }
    }

    @Test
    void anOnnxGraphIsNamedAsSuchWhateverItsFileName(@TempDir Path tmp) throws Exception {
        // a reader given a model.onnx instead of its model.tribuo (info, WAR's --war-reference, ...)
        for (String name : new String[] {"model.onnx", "renamed.bin"}) {
            Path file = tmp.resolve(name);
            model.toOnnx(file);
            IOException e = assertThrows(IOException.class, () -> NetworkModel.load(file));
            assertTrue(e.getMessage().contains(file + " is an ONNX graph, not a widerobust model"), e.getMessage());
        }
        Path garbage = tmp.resolve("garbage.tribuo");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5});
        IOException e = assertThrows(IOException.class, () -> NetworkModel.load(garbage));
        assertTrue(e.getMessage().startsWith("cannot read " + garbage + " as a Tribuo protobuf model"),
                e.getMessage());
    }

    @Test
    void anExampleWithNoKnownFeatureIsAnError() {
        Example<Label> ex = new ArrayExample<>(new Label("0"), new String[] {"not-a-feature"}, new double[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(ex));
        assertTrue(e.getMessage().contains("none of the model's"), e.getMessage());
    }

    @Test
    void inferenceBatchSizeIsConfigurable() {
        List<Example<Label>> examples = TrainData.test().first(10).toExamples();
        List<Prediction<Label>> whole = model.predict(examples);
        model.setPredictBatchSize(3);
        try {
            List<Prediction<Label>> small = model.predict(examples);
            for (int i = 0; i < whole.size(); i++) {
                assertEquals(whole.get(i).getOutputScores(), small.get(i).getOutputScores());
            }
        } finally {
            model.setPredictBatchSize(NetworkModel.DEFAULT_PREDICT_BATCH);
        }
        assertThrows(IllegalArgumentException.class, () -> model.setPredictBatchSize(0));
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

    /** The export follows Tribuo's classifier convention: ONNXExternalModel gives the same predictions and scores. */
    @Test
    void onnxExportWorksInOnnxExternalModelAndStaysAttackable(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("export.onnx");
        NetworkModelExport.write(model, file);
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals("widerobust", proto.getProducerName());
        assertEquals(NetworkModelExport.DEFAULT_DOMAIN, proto.getDomain());
        assertEquals(1, proto.getModelVersion());
        List<Example<Label>> examples = TrainData.test().first(40).toExamples();
        List<Prediction<Label>> ours = model.predict(examples);
        try (ONNXExternalModel<Label> ext = NetworkModelExport.toExternalModel(file)) {
            assertEquals(model.getProvenance(), ext.getTribuoProvenance().orElseThrow());
            List<Prediction<Label>> theirs = ext.predict(examples);
            for (int i = 0; i < ours.size(); i++) {
                assertEquals(ours.get(i).getOutput().getLabel(), theirs.get(i).getOutput().getLabel());
                for (Map.Entry<String, Label> e : ours.get(i).getOutputScores().entrySet()) {
                    assertEquals(e.getValue().getScore(), theirs.get(i).getOutputScores().get(e.getKey()).getScore(),
                            1e-6, "example " + i + " label " + e.getKey());
                }
            }
        }
        ImportedModel im = OnnxImports.load(file);
        assertTrue(im.warnings().stream().anyMatch(w -> w.contains("attacks the logits before the final Softmax")),
                im.warnings().toString());
        DenseDataset test = TrainData.test().first(32);
        float[] z = new float[32 * test.numClasses()];
        try (NetworkSession s = new NetworkSession(engine, im.network())) {
            s.logits(test.data(), 32, z);
        }
        assertArrayEquals(model.logits(test.data(), 32), z, 1e-5f);
        assertArrayEquals(model.inputDomain(), im.network().inputBounds());
    }

    /** Debian's python3-onnx checks the exported file (skipped when it is not installed). */
    @Test
    void exportPassesOnnxChecker(@TempDir Path tmp) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import onnx").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor() == 0, "python3-onnx is not installed");
        Path file = tmp.resolve("export.onnx");
        NetworkModelExport.write(model, file);
        Process p = new ProcessBuilder(python.toString(), "-c",
                "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
                        + "print(dict((e.key, len(e.value)) for e in m.metadata_props))", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("TRIBUO_PROVENANCE"), out);
    }

    @Test
    void tribuoTrainerInterface() {
        MutableDataset<Label> ds = TrainData.train().first(100).toDataset();
        AdversarialTrainer t = TrainData.base().device("cpu").threads(2).build();
        NetworkModel m = t.train(ds);
        assertEquals(1, m.history().size());
        assertTrue(m.trainedOn().startsWith("cpu"), m.trainedOn());
        assertEquals(1, t.getInvocationCount());
        assertEquals(ds.getOutputIDInfo().size(), m.getOutputIDInfo().size());
        assertEquals(100, m.getProvenance().getDatasetProvenance().getNumExamples());
        List<Prediction<Label>> p = m.predict(ds);
        assertEquals(100, p.size());
        m.close();
    }
}
