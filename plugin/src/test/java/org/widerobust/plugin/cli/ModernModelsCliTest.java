package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code widerobust evaluate} on the exports of {@code fixtures/pytorch-more} as users bring them: a model with ops
 * that have no gradient rule still gets natural accuracy and Square, with the missing ops listed; fixed-batch
 * exports run AutoAttack with default options; the two-output model is evaluated on its logits.
 */
class ModernModelsCliTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path DIR = Path.of("..", "fixtures", "pytorch-more");

    @TempDir
    Path tmp;

    private static String model(String name) {
        return DIR.resolve(name).resolve("model.onnx").toString();
    }

    @Test
    void unsupportedOpsStillGetNaturalAccuracyAndSquareWithTheBlockersListed() throws Exception {
        Path json = tmp.resolve("u.json");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model("unsupported_ops"), "--data", "fashion-mnist",
                "--limit", "16", "--attack", "pgd,square", "--eps", "0.03", "--device", "cpu", "--json",
                json.toString());
        assertEquals(0, r.code(), r.err());
        String all = r.out() + r.err();
        assertTrue(all.contains("Resize") && all.contains("CumSum") && all.contains("skipped white-box pgd-20"), all);
        assertFalse(all.contains("\tat "), "no stack trace: " + all);
        JsonNode j = MAPPER.readTree(json.toFile());
        assertTrue(j.get("per_attack").has("square-5000"), j.toString());
        assertEquals(1, j.get("per_attack").size(), j.toString());
        assertTrue(j.get("natural_accuracy").asDouble() > 0.3, j.toString());
    }

    @Test
    void onlyWhiteBoxAttacksOnAnUndifferentiableModelIsAOneLineError() throws Exception {
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model("unsupported_ops"), "--data", "fashion-mnist",
                "--limit", "4", "--attack", "pgd", "--eps", "0.03", "--device", "cpu");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("Resize") && r.err().contains("square"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void autoAttackWithoutGradientsRunsItsSquare() throws Exception {
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model("unsupported_ops"), "--data", "fashion-mnist",
                "--limit", "4", "--attack", "autoattack", "--eps", "0.1", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("square") && r.err().contains("apgd-ce"), r.out() + r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed_batch1", "fixed_batch4"})
    void fixedBatchExportsRunAutoAttackWithDefaultOptions(String name) throws Exception {
        Path json = tmp.resolve(name + ".json");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model(name), "--data", "fashion-mnist",
                "--limit", "6", "--attack", "autoattack", "--eps", "0.1", "--device", "cpu", "--json",
                json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = MAPPER.readTree(json.toFile());
        assertTrue(j.get("robust_accuracy").asDouble() <= j.get("natural_accuracy").asDouble());
    }

    @Test
    void twoOutputModelIsEvaluatedOnLogits() throws Exception {
        JsonNode ref = MAPPER.readTree(DIR.resolve("two_outputs/reference.json").toFile());
        Path json = tmp.resolve("two.json");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model("two_outputs"), "--data", "fashion-mnist",
                "--limit", "64", "--attack", "fgsm", "--eps", "0.01", "--device", "cpu", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = MAPPER.readTree(json.toFile());
        assertEquals(ref.get("natural_accuracy").asDouble(), j.get("natural_accuracy").asDouble(), 1e-12);
        CliRunner.Result e = CliRunner.run("evaluate", "--model", model("two_outputs"), "--data", "fashion-mnist",
                "--limit", "4", "--attack", "fgsm", "--eps", "0.01", "--device", "cpu", "--output", "nope");
        assertTrue(e.code() != 0);
        assertTrue(e.err().contains("embedding") && e.err().contains("logits"), e.err());
    }
}
