package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.adapters.data.Npy;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.adapters.network.NetworkSession;

/**
 * PGD-5 (L-inf, eps 0.03, step 0.0075, no random start, sign steps on the summed cross-entropy) on the models of
 * {@code fixtures/pytorch-more} reaches PyTorch's robust accuracy within 2 points, fixed-batch exports included.
 */
class PyTorchModernPgdTest extends CpuEngineTest {
    static final Path DIR = Path.of("..", "fixtures", "pytorch-more");
    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v3_small", "vit", "convnext_block", "gelu", "mish", "layernorm", "opset11",
            "fixed_batch1", "fixed_batch4", "two_outputs"})
    void pgd5ReproducesPyTorch(String model) throws IOException {
        JsonNode ref = new ObjectMapper().readTree(DIR.resolve(model).resolve("reference.json").toFile());
        float[] x = Npy.read(DIR.resolve("x.npy")).toFloats();
        int[] y = Npy.read(DIR.resolve("y.npy")).toInts();
        int n = y.length;
        try (NetworkSession s = new NetworkSession(engine, OnnxClassifierImporter.load(
                DIR.resolve(model).resolve("model.onnx")))) {
            NetworkTarget t = new NetworkTarget(s);
            AttackResult r = Pgd.classic(0.03, 5, 0.0075).attack(t, x, y, n, 0);
            assertEquals(ref.get("pgd5_robust_accuracy").asDouble(), r.robustAccuracy(y), 0.02 + 1e-9, model);
            Checks.insideThreatModel(r, x, n, t.exampleLength(), Norm.LINF, 0.03, t.inputBounds());
            Checks.predictionsAreTrue(r, t, n);
        }
    }
}
