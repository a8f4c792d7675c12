package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.plugin.eval.RobustnessEvaluationProvenance;
import org.widerobust.plugin.testing.TestNets;

/** {@code widerobust evaluate} in-process: PyTorch reproduction, JSON shape, one-line errors. */
class EvaluateCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String model(String name) {
        return TestNets.fixture(name).resolve("model.onnx").toString();
    }

    /** The reference settings: PGD L-inf eps 0.03, step 0.0075, 20 steps, no random start, summed CE. */
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "miniwrn"})
    void reproducesPyTorchOnTheFirst256TestImages(String name) throws Exception {
        JsonNode ref = MAPPER.readTree(TestNets.fixture(name).resolve("reference.json").toFile());
        Path json = tmp.resolve(name + ".json");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model(name), "--data", "fashion-mnist", "--split",
                "test", "--limit", "256", "--attack", "pgd", "--eps", "0.03", "--steps", "20", "--step-size",
                "0.0075", "--no-random-start", "--device", "cpu", "--threads", "2", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = MAPPER.readTree(json.toFile());
        assertEquals(ref.get("natural_accuracy").asDouble(), j.get("natural_accuracy").asDouble(), 1e-12);
        assertEquals(ref.get("pgd20_robust_accuracy").asDouble(), j.get("robust_accuracy").asDouble(), 0.02);
        assertTrue(r.out().contains("robust: worst case"), r.out());
    }

    @Test
    void jsonHasTheRequiredKeysAndItsProvenanceRoundTrips() throws Exception {
        Path json = tmp.resolve("out/report.json");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model("mlp"), "--data", "fashion-mnist",
                "--limit", "32", "--attack", "fgsm,pgd", "--eps", "0.05", "--steps", "3", "--lipschitz",
                "--lipschitz-steps", "2", "--device", "cpu", "--seed", "7", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = MAPPER.readTree(json.toFile());
        for (String k : new String[] {"natural_accuracy", "robust_accuracy", "perturbation_stability",
                "local_lipschitz", "per_attack", "warnings", "provenance", "perturbation", "queries", "seconds",
                "broken_by", "adversarial_per_class", "device"}) {
            assertTrue(j.has(k), "missing " + k + " in " + j);
        }
        assertEquals(2, j.get("per_attack").size());
        assertTrue(j.get("per_attack").has("fgsm"), j.get("per_attack").toString());
        assertEquals(32, j.get("broken_by").size());
        assertTrue(j.get("local_lipschitz").asDouble() > 0);
        ObjectProvenance p = ProvenanceUtil.unmarshalProvenance(new JsonProvenanceSerialization(false)
                .deserializeFromString(j.get("provenance").toString()));
        RobustnessEvaluationProvenance rp = (RobustnessEvaluationProvenance) p;
        assertEquals(2, rp.attackProvenances().size());
        assertTrue(rp.device().startsWith("cpu"));
        try (var s = Files.list(json.getParent())) {
            assertEquals(1, s.count(), "no temporary files left behind");
        }
    }

    private static void assertOneLineError(CliRunner.Result r, String... fragments) {
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().strip();
        String[] lines = err.lines().filter(l -> !l.contains("INFO") && !l.startsWith("Nov ")
                && !l.matches("^[A-Z][a-z]{2} \\d+, .*")).toArray(String[]::new);
        assertEquals(1, lines.length, "expected one line, got: " + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
        for (String f : fragments) {
            assertTrue(lines[0].contains(f), "'" + f + "' not in: " + lines[0]);
        }
    }

    @Test
    void truncatedModelFileIsAOneLineError() throws Exception {
        byte[] b = Files.readAllBytes(TestNets.fixture("mlp").resolve("model.onnx"));
        Path f = Files.write(tmp.resolve("broken.onnx"), Arrays.copyOf(b, 1000));
        assertOneLineError(CliRunner.run("evaluate", "--model", f.toString(), "--data", "synthetic:8", "--attack",
                "pgd", "--eps", "0.1", "--device", "cpu"), "broken.onnx");
    }

    @Test
    void shapeMismatchIsAOneLineErrorNamingBothShapes() {
        Path f = TestNets.write(TestNets.linear(new long[] {3, 32, 32}, 10, false), tmp.resolve("cifar.onnx"));
        assertOneLineError(CliRunner.run("evaluate", "--model", f.toString(), "--data", "synthetic:8", "--attack",
                "pgd", "--eps", "0.1", "--device", "cpu"), "[3, 32, 32]", "[1, 28, 28]");
    }

    @Test
    void unknownAttackIsAOneLineError() {
        assertOneLineError(CliRunner.run("evaluate", "--model", model("mlp"), "--data", "synthetic:8", "--attack",
                "pgd,nosuch", "--eps", "0.1", "--device", "cpu"), "nosuch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "NaN", "Infinity", "abc"})
    void badEpsilonIsAOneLineError(String eps) {
        assertOneLineError(CliRunner.run("evaluate", "--model", model("mlp"), "--data", "synthetic:8", "--attack",
                "pgd", "--eps", eps, "--device", "cpu"), "--eps");
    }

    @Test
    void badDeviceIsAOneLineError() {
        assertOneLineError(CliRunner.run("evaluate", "--model", model("mlp"), "--data", "synthetic:8", "--attack",
                "pgd", "--eps", "0.1", "--device", "tpu"), "--device");
    }

    @Test
    void missingModelFileIsAOneLineError() {
        assertOneLineError(CliRunner.run("evaluate", "--model", tmp.resolve("none.onnx").toString(), "--data",
                "synthetic:8", "--attack", "pgd", "--eps", "0.1", "--device", "cpu"), "does not exist");
    }

    /**
     * A Tribuo model without an ONNX graph is a black box: autoattack runs its score-based Square with a warning
     * that the figure is an upper bound (as for an ONNX graph whose gradient cannot be built), and PGD alone is a
     * one-line error (a field report: autoattack failed outright on a LogisticRegression model).
     */
    @Test
    void aBlackBoxTribuoModelRunsAutoAttacksScoreBasedPart(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        org.tribuo.Model<org.tribuo.classification.Label> lr = new org.tribuo.classification.sgd.linear
                .LogisticRegressionTrainer().train(org.widerobust.datasets.DataSpec.load("fashion-mnist", "train", 200)
                .toDataset());
        Path f = tmp.resolve("lr.tribuo");
        lr.serializeToFile(f);
        CliRunner.Result aa = CliRunner.run("evaluate", "--model", f.toString(), "--data", "fashion-mnist", "--limit",
                "8", "--attack", "autoattack", "--eps", "0.1", "--square-queries", "20", "--device", "cpu");
        assertEquals(0, aa.code(), aa.err());
        assertTrue(aa.err().contains("skipped white-box") && aa.err().contains("is a black box")
                && aa.err().contains("upper bound"), aa.err());
        assertTrue(aa.out().contains("square-20"), aa.out());
        // a Tribuo model's scores are probabilities by nature: no advice to export it without a softmax
        assertTrue(!aa.out().contains("look like probabilities"), aa.out());
        assertOneLineError(CliRunner.run("evaluate", "--model", f.toString(), "--data", "fashion-mnist", "--limit",
                "8", "--attack", "pgd", "--eps", "0.1", "--device", "cpu"), "needs gradients", "square");
    }

    /**
     * The Lipschitz estimate is over an L-inf ball: under --norm l2 its radius must be given (a field report: the L2
     * budget 1.5 became an L-inf radius covering the whole box, silently).
     */
    @Test
    void anL2EvaluationNeedsTheLipschitzRadius() {
        String model = TestNets.fixture("mlp").resolve("model.onnx").toString();
        assertOneLineError(CliRunner.run("evaluate", "--model", model, "--data", "fashion-mnist", "--limit", "8",
                "--attack", "pgd", "--norm", "l2", "--eps", "1.5", "--steps", "2", "--lipschitz", "--device", "cpu"),
                "--lipschitz-eps", "L-inf ball");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model, "--data", "fashion-mnist", "--limit", "8",
                "--attack", "pgd", "--norm", "l2", "--eps", "1.5", "--steps", "2", "--lipschitz", "--lipschitz-eps",
                "0.03", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("L-inf ball (eps 0.03)"), r.out());
        CliRunner.Result wide = CliRunner.run("evaluate", "--model", model, "--data", "fashion-mnist", "--limit", "8",
                "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--lipschitz", "--lipschitz-eps", "5", "--device",
                "cpu");
        assertEquals(0, wide.code(), wide.err());
        assertTrue(wide.out().contains("lipschitz radius: eps 5.000 is at least the L-inf diameter")
                && wide.out().contains("the local Lipschitz estimate is not local"), wide.out());
    }

    /**
     * Restarts without a random start would repeat PGD's one run: refused by PGD itself, in one line; APGD, whose
     * restarts do not depend on --no-random-start, takes them.
     */
    @Test
    void pgdRestartsNeedTheRandomStart() {
        String model = TestNets.fixture("mlp").resolve("model.onnx").toString();
        assertOneLineError(CliRunner.run("evaluate", "--model", model, "--data", "fashion-mnist", "--limit", "8",
                "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--restarts", "3", "--no-random-start",
                "--device", "cpu"), "attack 'pgd'", "3 restarts without a random start");
        CliRunner.Result apgd = CliRunner.run("evaluate", "--model", model, "--data", "fashion-mnist", "--limit", "8",
                "--attack", "apgd-ce", "--eps", "0.1", "--apgd-iterations", "2", "--restarts", "2",
                "--no-random-start", "--device", "cpu");
        assertEquals(0, apgd.code(), apgd.err());
        assertTrue(apgd.out().contains("apgd-ce-2x2"), apgd.out());
    }
}
