package org.widerobust.plugin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.interop.onnx.ImageTransformer;
import org.tribuo.interop.onnx.LabelTransformer;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.data.Npy;
import org.widerobust.adapters.data.PixelFeatureNames;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.datasets.DataSpec;
import org.widerobust.plugin.attack.NetworkTarget;
import org.widerobust.plugin.testing.TestNets;

class ModelLoaderTest {
    static Engine engine;
    static DenseDataset test;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        engine = Engine.create(DeviceSpec.CPU, 2);
        test = DataSpec.load("fashion-mnist", "test", 16);
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    @Test
    void onnxFilesAreWhiteBox() {
        try (LoadedModel m = ModelLoader.load(TestNets.fixture("mlp").resolve("model.onnx"), engine)) {
            LoadedModel.Bound b = m.bind(test);
            assertTrue(b.whiteBox());
            assertInstanceOf(NetworkTarget.class, b.target());
            assertTrue(m.description().contains("mlp"));
        }
    }

    @Test
    void aRunDirectoryMeansItsModelOnnxThroughLinksToo() throws Exception {
        Path run = java.nio.file.Files.createDirectories(tmp.resolve("run"));
        java.nio.file.Files.copy(TestNets.fixture("mlp").resolve("model.onnx"), run.resolve("model.onnx"));
        Path link = java.nio.file.Files.createSymbolicLink(tmp.resolve("link"), run);
        for (Path p : new Path[] {run, link}) {
            try (LoadedModel m = ModelLoader.load(p, engine)) {
                assertTrue(m.bind(test).whiteBox(), p.toString());
            }
        }
        ModelLoadException empty = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(java.nio.file.Files.createDirectories(tmp.resolve("empty")), engine));
        assertTrue(empty.getMessage().contains("is a directory without a model.onnx"), empty.getMessage());
    }

    @Test
    void missingTruncatedAndGarbageFilesAreClearErrors() throws Exception {
        ModelLoadException missing = assertThrows(ModelLoadException.class,
                () -> ModelLoader.load(tmp.resolve("nope.onnx"), engine));
        assertTrue(missing.getMessage().contains("does not exist"));
        byte[] bytes = Files.readAllBytes(TestNets.fixture("mlp").resolve("model.onnx"));
        Path truncated = Files.write(tmp.resolve("truncated.onnx"), Arrays.copyOf(bytes, bytes.length / 3));
        ModelLoadException t = assertThrows(ModelLoadException.class, () -> ModelLoader.load(truncated, engine));
        assertTrue(t.getMessage().contains("truncated.onnx"), t.getMessage());
        Path garbage = Files.writeString(tmp.resolve("model.bin"), "not a model at all");
        ModelLoadException g = assertThrows(ModelLoadException.class, () -> ModelLoader.load(garbage, engine));
        assertTrue(g.getMessage().contains("neither an ONNX model"), g.getMessage());
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        Path f = TestNets.write(TestNets.linear(new long[] {3, 32, 32}, 10, false), tmp.resolve("c.onnx"));
        try (LoadedModel m = ModelLoader.load(f, engine)) {
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> m.bind(test));
            assertTrue(e.getMessage().contains("[3, 32, 32]") && e.getMessage().contains("[1, 28, 28]"),
                    e.getMessage());
        }
    }

    /** Attacks project into the model's input box, so data outside it is refused for every kind of model. */
    @Test
    void dataOutsideTheModelsInputBoxIsRefusedForEveryKindOfModel() throws Exception {
        float[] raw = test.data().clone();
        for (int i = 0; i < raw.length; i++) {
            raw[i] *= 255f; // raw 0-255 pixels given to models of [0, 1] images
        }
        DenseDataset pixels = test.withData(raw, "raw pixels");
        Model<Label> lr = new LogisticRegressionTrainer().train(DataSpec.load("fashion-mnist", "train", 100)
                .toDataset());
        Path tribuo = tmp.resolve("lr.tribuo");
        lr.serializeToFile(tribuo);
        for (Path f : List.of(TestNets.fixture("mlp").resolve("model.onnx"), tribuo)) {
            try (LoadedModel m = ModelLoader.load(f, engine)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.bind(pixels));
                assertTrue(e.getMessage().contains("outside the declared input domain [0.0, 1.0]")
                        && e.getMessage().contains("raw 0-255 pixels?"), f + ": " + e.getMessage());
                assertTrue(m.bind(test).data().size() > 0, f.toString()); // the [0, 1] data still binds
            }
        }
    }

    @Test
    void tribuoModelFilesAreBlackBox() throws Exception {
        Model<Label> lr = new LogisticRegressionTrainer().train(DataSpec.load("fashion-mnist", "train", 300)
                .toDataset());
        Path f = tmp.resolve("lr.tribuo");
        lr.serializeToFile(f);
        try (LoadedModel m = ModelLoader.load(f, engine)) {
            LoadedModel.Bound b = m.bind(test);
            assertFalse(b.whiteBox());
            assertInstanceOf(TribuoModelTarget.class, b.target());
            assertEquals(lr.getProvenance(), m.provenance());
        }
    }

    @Test
    void tribuoOnnxExternalModelsAreWhiteBox() throws Exception {
        Path onnx = TestNets.fixture("mlp").resolve("model.onnx");
        String[] names = PixelFeatureNames.of(1, 28, 28);
        Map<String, Integer> features = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            features.put(names[i], i);
        }
        Map<Label, Integer> outputs = new HashMap<>();
        for (int k = 0; k < 10; k++) {
            outputs.put(new Label(Integer.toString(k)), k);
        }
        // the model closes its session options itself
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try (ONNXExternalModel<Label> ext = ONNXExternalModel.createOnnxModel(new LabelFactory(), features, outputs,
                     new ImageTransformer(1, 28, 28), new LabelTransformer(), so, onnx, "input");
             LoadedModel m = ModelLoader.wrap(ext, engine)) {
            LoadedModel.Bound b = m.bind(test);
            assertTrue(b.whiteBox(), m.warnings().toString());
            float[] got = new float[16 * 10];
            b.target().logits(test.data(), 16, got);
            float[] want = Arrays.copyOf(Npy.read(TestNets.fixture("mlp").resolve("logits.npy")).toFloats(), 160);
            assertArrayEquals(want, got, 1e-4f);
        }
    }
}
