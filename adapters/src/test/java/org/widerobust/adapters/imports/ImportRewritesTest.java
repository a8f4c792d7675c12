package org.widerobust.adapters.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/**
 * What the importer does to exports as users bring them: chooses the logits among several outputs (or says it
 * cannot), attacks before a final LogSoftmax, refuses training-mode batch norm in one line and turns training-mode
 * Dropout into inference with a warning.
 */
class ImportRewritesTest {
    @TempDir
    Path tmp;

    private Path save(GraphBuilder g, int opset, String name) throws IOException {
        ModelProto m = g.build().toBuilder().clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
        Path f = tmp.resolve(name);
        Files.write(f, m.toByteArray());
        return f;
    }

    private static GraphBuilder twoHeads(String a, String b) {
        GraphBuilder g = new GraphBuilder("two");
        g.addInput("x", DataType.FLOAT, Shapes.BATCH, 4);
        g.addInitializer("w", new long[] {4, 3}, new float[12]);
        g.addInitializer("v", new long[] {4, 3}, new float[12]);
        g.addNode("MatMul", List.of("x", "w"), List.of(a));
        g.addNode("MatMul", List.of("x", "v"), List.of(b));
        g.addOutput(a, DataType.FLOAT, Shapes.BATCH, 3);
        g.addOutput(b, DataType.FLOAT, Shapes.BATCH, 3);
        return g;
    }

    @Test
    void outputNamedLogitsInAnyCaseWinsAndTheOtherBranchIsDropped() throws IOException {
        ImportedModel m = OnnxClassifierImporter.loadWithWarnings(save(twoHeads("embedding", "Logits"), 17, "a.onnx"));
        assertEquals("Logits", m.network().logits());
        assertEquals(1, m.network().model().getGraph().getNodeCount());
        assertEquals(List.of("v"), m.network().parameters());
    }

    @Test
    void ambiguousOutputsAreAnErrorListingThemAndTheOption() throws IOException {
        Path f = save(twoHeads("a", "b"), 17, "ab.onnx");
        ImportException e = assertThrows(ImportException.class, () -> OnnxClassifierImporter.loadWithWarnings(f));
        assertTrue(e.getMessage().contains("a[N, 3]") || e.getMessage().contains("'a'") || e.getMessage().contains("a["),
                e.getMessage());
        assertTrue(e.getMessage().contains("--output NAME"), e.getMessage());
        assertEquals("b", OnnxClassifierImporter.loadWithWarnings(f, new float[] {0, 1}, "b").network().logits());
    }

    @Test
    void finalLogSoftmaxIsRecognised() throws IOException {
        GraphBuilder g = new GraphBuilder("ls");
        g.addInput("x", DataType.FLOAT, Shapes.BATCH, 4);
        g.addInitializer("w", new long[] {4, 3}, new float[12]);
        g.addNode("MatMul", List.of("x", "w"), List.of("z"));
        g.addNode("LogSoftmax", List.of("z"), List.of("lp"), Attr.i("axis", 1));
        g.addNode("Identity", List.of("lp"), List.of("logp"));
        g.addOutput("logp", DataType.FLOAT, Shapes.BATCH, 3);
        ImportedModel m = OnnxClassifierImporter.loadWithWarnings(save(g, 17, "ls.onnx"));
        assertEquals("z", m.network().logits());
        assertTrue(m.warnings().get(0).contains("LogSoftmax"), m.warnings().toString());
        assertEquals(1, m.network().model().getGraph().getNodeCount(), "LogSoftmax and Identity dropped");
    }

    private static GraphBuilder withBatchNorm(boolean training) {
        GraphBuilder g = new GraphBuilder("bn");
        g.addInput("x", DataType.FLOAT, Shapes.BATCH, 2, 2, 2);
        for (String p : List.of("s", "b", "m", "v")) {
            g.addInitializer(p, new long[] {2}, new float[] {1, 1});
        }
        List<String> outs = training ? List.of("y", "rm", "rv") : List.of("y");
        g.addNode("BatchNormalization", List.of("x", "s", "b", "m", "v"), outs,
                Attr.i("training_mode", training ? 1 : 0));
        g.addNode("Flatten", List.of("y"), List.of("logits"));
        g.addOutput("logits", DataType.FLOAT, Shapes.BATCH, 8);
        return g;
    }

    @Test
    void trainingModeBatchNormIsAOneLineErrorSayingEval() throws IOException {
        Path f = save(withBatchNorm(true), 15, "bn.onnx");
        ImportException e = assertThrows(ImportException.class, () -> OnnxClassifierImporter.loadWithWarnings(f));
        assertTrue(e.getMessage().contains("model.eval()") && e.getMessage().contains("training mode"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        OnnxClassifierImporter.loadWithWarnings(save(withBatchNorm(false), 15, "bn-eval.onnx"));
    }

    @Test
    void trainingModeDropoutIsWarnedAboutAndRunsAsInference() throws IOException {
        GraphBuilder g = new GraphBuilder("drop");
        g.addInput("x", DataType.FLOAT, Shapes.BATCH, 4);
        g.proto().addInitializer(TensorProto.newBuilder().setName("ratio").setDataType(DataType.FLOAT.getNumber())
                .addFloatData(0.5f));
        g.proto().addInitializer(TensorProto.newBuilder().setName("train").setDataType(DataType.BOOL.getNumber())
                .addInt32Data(1));
        g.addNode("Dropout", List.of("x", "ratio", "train"), List.of("logits"));
        g.addOutput("logits", DataType.FLOAT, Shapes.BATCH, 4);
        ImportedModel m = OnnxClassifierImporter.loadWithWarnings(save(g, 13, "drop.onnx"));
        assertTrue(m.warnings().stream().anyMatch(w -> w.contains("Dropout") && w.contains("training mode")),
                m.warnings().toString());
        NodeProto d = m.network().model().getGraph().getNode(0);
        assertTrue(d.getInputCount() < 3 || d.getInput(2).isEmpty());
    }
}
