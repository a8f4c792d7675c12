package org.widerobust.adapters.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.adapters.data.Npy;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.adapters.engine.Fixtures;
import org.widerobust.adapters.network.LossTargets;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.descriptors.autodiff.Blocker;
import org.widerobust.descriptors.autodiff.Differentiator;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.network.Network;

/**
 * The classifiers of {@code fixtures/pytorch-more} (torchvision's MobileNetV3 and ViT, a ConvNeXt block model,
 * GELU, Mish and LayerNorm models, an opset-11 export, fixed-batch and two-output exports): imported and run by
 * the engine, they reproduce PyTorch's logits, and their input gradients agree with PyTorch's to 1e-4 relative.
 */
class PyTorchModernOracleTest extends CpuEngineTest {
    static final Path DIR = Path.of("..", "fixtures", "pytorch-more");
    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v3_small", "vit", "convnext_block", "gelu", "mish", "layernorm", "opset11",
            "fixed_batch1", "fixed_batch4", "two_outputs"})
    void logitsAndInputGradientsMatchPyTorch(String model) throws IOException {
        Network net = OnnxClassifierImporter.load(DIR.resolve(model).resolve("model.onnx"));
        float[] x = Npy.read(DIR.resolve("x.npy")).toFloats();
        int[] y = Npy.read(DIR.resolve("y.npy")).toInts();
        float[] expectedLogits = Npy.read(DIR.resolve(model).resolve("logits.npy")).toFloats();
        Npy.Array g = Npy.read(DIR.resolve(model).resolve("grad_ce_sum.npy"));
        float[] expectedGrad = g.toFloats();
        int n = y.length;
        int gn = (int) g.shape()[0];
        assertTrue(Differentiator.blockers(net).isEmpty(), () -> Differentiator.blockers(net).toString());
        try (NetworkSession s = new NetworkSession(engine, net)) {
            float[] logits = new float[n * net.numClasses()];
            s.logits(x, n, logits);
            double rel = Fixtures.relativeL2(logits, expectedLogits);
            assertTrue(rel <= 1e-5, model + ": logits relative L2 error " + rel);

            float[] grad = new float[gn * net.exampleLength()];
            float[] loss = new float[gn];
            float[] gl = new float[gn * net.numClasses()];
            s.lossGradient("ce", x, gn, LossTargets.labels(y), grad, loss, gl);
            double relGrad = Fixtures.relativeL2(grad, expectedGrad);
            assertTrue(relGrad <= 1e-4, model + ": input gradient relative L2 error " + relGrad);
            float[] firstLogits = java.util.Arrays.copyOf(expectedLogits, gn * net.numClasses());
            assertTrue(Fixtures.relativeL2(gl, firstLogits) <= 1e-5, model + ": logits of the gradient graph");
        }
    }

    @Test
    void twoOutputModelIsReadOnItsLogitsNotItsEmbedding() {
        ImportedModel m = OnnxClassifierImporter.loadWithWarnings(DIR.resolve("two_outputs/model.onnx"));
        assertEquals("logits", m.network().logits());
        assertEquals(1, m.network().model().getGraph().getOutputCount());
        ImportedModel e = OnnxClassifierImporter.loadWithWarnings(DIR.resolve("two_outputs/model.onnx"),
                new float[] {0f, 1f}, "embedding");
        assertEquals("embedding", e.network().logits());
        ImportException bad = assertThrows(ImportException.class, () -> OnnxClassifierImporter.loadWithWarnings(
                DIR.resolve("two_outputs/model.onnx"), new float[] {0f, 1f}, "nope"));
        assertTrue(bad.getMessage().contains("embedding") && bad.getMessage().contains("logits"), bad.getMessage());
    }

    @Test
    void opset11ExportIsUpgradedTo13() {
        Network net = OnnxClassifierImporter.load(DIR.resolve("opset11/model.onnx"));
        assertEquals(13, GraphBuilder.opsetOf(net.model()));
    }

    @Test
    void fixedBatchIsReported() {
        ImportedModel m = OnnxClassifierImporter.loadWithWarnings(DIR.resolve("fixed_batch4/model.onnx"));
        assertTrue(m.warnings().stream().anyMatch(w -> w.contains("fixed batch dimension of 4")), m.warnings()
                .toString());
        try (NetworkSession s = new NetworkSession(engine, m.network())) {
            assertEquals(4, s.fixedBatch());
        }
    }

    @Test
    void unsupportedOpsAreAllListed() {
        Network net = OnnxClassifierImporter.load(DIR.resolve("unsupported_ops/model.onnx"));
        List<Blocker> bs = Differentiator.blockers(net);
        assertEquals(List.of("Resize", "CumSum"), bs.stream().map(Blocker::op).toList(), bs.toString());
    }

    @Test
    void fixturesStaySmall() throws IOException {
        try (var files = Files.walk(DIR)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                assertTrue(Files.size(p) < 600_000, p + " is " + Files.size(p) + " bytes");
            }
        }
    }
}
