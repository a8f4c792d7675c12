package org.widerobust.adapters.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.engine.Fixtures;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;
import org.widerobust.descriptors.network.Network;

class OnnxClassifierImporterTest {
    @TempDir
    Path tmp;

    @Test
    void importsThePyTorchModels() {
        for (String m : new String[] {"mlp", "cnn", "miniwrn"}) {
            ImportedModel im = OnnxClassifierImporter.loadWithWarnings(Fixtures.pytorch(m, "model.onnx"));
            Network net = im.network();
            assertEquals(List.of(), im.warnings(), m);
            assertEquals(m + "/model.onnx", net.name());
            assertEquals("input", net.input());
            assertEquals("logits", net.logits());
            assertArrayEquals(new long[] {1, 28, 28}, net.exampleShape());
            assertEquals(10, net.numClasses());
            assertTrue(net.batchNorms().isEmpty());
            assertArrayEquals(new float[] {0, 1}, net.inputBounds());
            for (String p : net.parameters()) {
                assertFalse(p.contains("running"), p);
            }
            int expected = m.equals("miniwrn") ? 28 - 3 * 2 : 6;
            assertEquals(expected, net.parameters().size(), m + " " + net.parameters());
        }
        Network mlp = OnnxClassifierImporter.load(Fixtures.pytorch("mlp", "model.onnx"));
        assertEquals(List.of("n.1.weight", "n.1.bias", "n.3.weight", "n.3.bias", "n.5.weight", "n.5.bias"),
                mlp.parameters());
        assertEquals(784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10, mlp.parameterCount());
        Network custom = OnnxClassifierImporter.load(Fixtures.pytorch("mlp", "model.onnx"), new float[] {-1, 1});
        assertArrayEquals(new float[] {-1, 1}, custom.inputBounds());
        assertThrows(IllegalArgumentException.class,
                () -> OnnxClassifierImporter.load(Fixtures.pytorch("mlp", "model.onnx"), new float[] {1, 0}));
    }

    private static void assertImportError(Path file, String... fragments) {
        ImportException e = assertThrows(ImportException.class, () -> OnnxClassifierImporter.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(file, e.file());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] all = Files.readAllBytes(Fixtures.pytorch("cnn", "model.onnx"));
        Path f = tmp.resolve("truncated.onnx");
        Files.write(f, Arrays.copyOf(all, 100));
        assertImportError(f, "not an ONNX model");
    }

    @Test
    void randomBytes() throws IOException {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        Path f = tmp.resolve("random.onnx");
        Files.write(f, junk);
        assertImportError(f, "not an ONNX model");
        Path empty = tmp.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        assertImportError(empty, "empty");
    }

    @Test
    void missingFile() {
        assertImportError(tmp.resolve("nowhere/model.onnx"), "no such file");
    }

    private Path save(ModelProto m, String name) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, m.toByteArray());
        return f;
    }

    @Test
    void rankThreeOutput() throws IOException {
        GraphBuilder g = new GraphBuilder("rank3");
        g.addInput("x", DataType.FLOAT, Shapes.BATCH, 2, 5);
        g.addNode("Relu", List.of("x"), List.of("y"));
        g.addOutput("y", DataType.FLOAT, Shapes.BATCH, 2, 5);
        assertImportError(save(g.build(), "rank3.onnx"), "rank 3", "[batch, classes]");
    }

    private static GraphBuilder linear(String name, int classes) {
        GraphBuilder g = new GraphBuilder(name);
        g.addInput("x", DataType.FLOAT, Shapes.BATCH, 4);
        g.addInitializer("w", new long[] {4, classes}, new float[4 * classes]);
        g.addInitializer("b", new long[] {classes}, new float[classes]);
        String h = g.op("MatMul", "x", "w");
        g.addNode("Add", List.of(h, "b"), List.of("logits"));
        return g;
    }

    @Test
    void matMulAddClassifier() throws IOException {
        GraphBuilder g = linear("linear", 3);
        g.addOutput("logits", DataType.FLOAT, Shapes.BATCH, 3);
        ImportedModel m = OnnxClassifierImporter.loadWithWarnings(save(g.build(), "linear.onnx"));
        assertEquals(List.of("w", "b"), m.network().parameters());
        assertArrayEquals(new long[] {4}, m.network().exampleShape());
        assertEquals(3, m.network().numClasses());
        assertTrue(m.warnings().isEmpty(), m.warnings().toString());
    }

    @Test
    void softmaxOutputIsWarnedAbout() throws IOException {
        GraphBuilder g = linear("probs", 3);
        g.addNode("Softmax", List.of("logits"), List.of("probs"));
        g.addOutput("probs", DataType.FLOAT, Shapes.BATCH, 3);
        ImportedModel m = OnnxClassifierImporter.loadWithWarnings(save(g.build(), "probs.onnx"));
        assertEquals(1, m.warnings().size());
        assertTrue(m.warnings().get(0).contains("Softmax") && m.warnings().get(0).contains("before"),
                m.warnings().toString());
        assertEquals("logits", m.network().logits(), "attacked before the final Softmax");
    }

    @Test
    void oldOpset() throws IOException {
        GraphBuilder g = linear("old", 3);
        g.addOutput("logits", DataType.FLOAT, Shapes.BATCH, 3);
        ModelProto m = g.build().toBuilder().setOpsetImport(0,
                OperatorSetIdProto.newBuilder().setDomain("").setVersion(9)).build();
        assertImportError(save(m, "old.onnx"), "opset 9");
    }

    @Test
    void twoInputs() throws IOException {
        GraphBuilder g = new GraphBuilder("two");
        g.addInput("a", DataType.FLOAT, Shapes.BATCH, 3);
        g.addInput("b", DataType.FLOAT, Shapes.BATCH, 3);
        g.addNode("Add", List.of("a", "b"), List.of("y"));
        g.addOutput("y", DataType.FLOAT, Shapes.BATCH, 3);
        assertImportError(save(g.build(), "two.onnx"), "2 inputs", "'a'".substring(1, 2));
    }

    @Test
    void noFloatInput() throws IOException {
        GraphBuilder g = new GraphBuilder("bytes");
        g.addInput("x", DataType.UINT8, Shapes.BATCH, 4);
        g.addNode("Cast", List.of("x"), List.of("y"), org.widerobust.descriptors.graph.Attr.i("to", 1));
        g.addOutput("y", DataType.FLOAT, Shapes.BATCH, 4);
        assertImportError(save(g.build(), "bytes.onnx"), "no float input", "UINT8");
    }
}
