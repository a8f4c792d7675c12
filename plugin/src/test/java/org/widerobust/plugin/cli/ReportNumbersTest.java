package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.data.Npy;
import org.widerobust.plugin.testing.TestNets;

/** Issue 11 from the command line: budgets in the labels, saved examples, NaN outputs, NaN in JSON. */
class ReportNumbersTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void rowsNameTheirBudgetsAndSavedExamplesReproduceTheTable() throws Exception {
        Path json = tmp.resolve("r.json");
        Path dir = tmp.resolve("adv");
        CliRunner.Result r = CliRunner.run("attack", "--model",
                TestNets.fixture("mlp").resolve("model.onnx").toString(), "--data", "fashion-mnist", "--limit", "24",
                "--attack", "pgd,square,apgd-ce", "--steps", "50", "--square-queries", "40", "--apgd-iterations", "4",
                "--eps", "0.05", "--device", "cpu", "--json", json.toString(), "--save", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pgd-50") && r.out().contains("square-40") && r.out().contains("apgd-ce-4"),
                r.out());
        JsonNode j = MAPPER.readTree(json.toFile());
        assertTrue(j.get("per_attack").has("square-40"), j.get("per_attack").toString());
        long[] labels = Npy.read(dir.resolve("labels.npy")).toLongs();
        for (String a : new String[] {"pgd-50", "square-40", "apgd-ce-4"}) {
            long[] p = Npy.read(dir.resolve("per_attack").resolve(a).resolve("predictions.npy")).toLongs();
            assertEquals(j.get("per_attack").get(a).get("robust_accuracy").asDouble(), accuracy(p, labels), 1e-12, a);
        }
        long[] worst = Npy.read(dir.resolve("predictions.npy")).toLongs();
        assertEquals(j.get("robust_accuracy").asDouble(), accuracy(worst, labels), 1e-12);

        // perturbation stability too is recomputed from the saved files, per attack and in the worst case, from
        // examples inside the threat model (misclassified points included: they can flip as well)
        long[] clean = Npy.read(dir.resolve("clean_predictions.npy")).toLongs();
        float[] original = Npy.read(dir.resolve("original.npy")).toFloats();
        for (String a : new String[] {"pgd-50", "square-40", "apgd-ce-4"}) {
            Path st = dir.resolve("per_attack").resolve(a).resolve("stability");
            assertEquals(j.get("per_attack").get(a).get("perturbation_stability").asDouble(),
                    accuracy(Npy.read(st.resolve("predictions.npy")).toLongs(), clean), 1e-12, a);
            assertTrue(linf(Npy.read(st.resolve("adversarial.npy")).toFloats(), original) <= 0.05 + 1e-6, a);
        }
        Path st = dir.resolve("stability");
        long[] moved = Npy.read(st.resolve("predictions.npy")).toLongs();
        assertEquals(j.get("perturbation_stability").asDouble(), accuracy(moved, clean), 1e-12);
        assertTrue(linf(Npy.read(st.resolve("adversarial.npy")).toFloats(), original) <= 0.05 + 1e-6);
        assertTrue(j.get("perturbation_stability").asDouble() < 1, "the attacks moved some prediction: "
                + j.get("perturbation_stability"));
    }

    private static double linf(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** Finding 2 from the command line: --early-stop changes no figure but time and queries. */
    @Test
    void earlyStopChangesNoReportedFigure() throws Exception {
        JsonNode[] runs = new JsonNode[2];
        for (int k = 0; k < 2; k++) {
            Path json = tmp.resolve("es" + k + ".json");
            String[] base = {"evaluate", "--model", TestNets.fixture("mlp").resolve("model.onnx").toString(), "--data",
                    "fashion-mnist", "--limit", "32", "--attack", "pgd,pgd-kl,apgd-ce", "--steps", "8",
                    "--apgd-iterations", "8", "--eps", "0.05", "--device", "cpu", "--json", json.toString()};
            String[] args = k == 0 ? base : java.util.stream.Stream.concat(java.util.Arrays.stream(base),
                    java.util.stream.Stream.of("--early-stop")).toArray(String[]::new);
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(0, r.code(), r.err());
            runs[k] = MAPPER.readTree(json.toFile());
        }
        for (String key : new String[] {"natural_accuracy", "robust_accuracy", "perturbation_stability",
                "perturbation", "broken_by"}) {
            assertEquals(runs[0].get(key), runs[1].get(key), key);
        }
        runs[0].get("per_attack").fieldNames().forEachRemaining(a -> {
            for (String key : new String[] {"robust_accuracy", "perturbation_stability", "outside_threat_model"}) {
                assertEquals(runs[0].get("per_attack").get(a).get(key), runs[1].get("per_attack").get(a).get(key),
                        a + " " + key);
            }
        });
        assertTrue(runs[1].get("queries").asLong() < runs[0].get("queries").asLong());
    }

    private static double accuracy(long[] p, long[] y) {
        int c = 0;
        for (int i = 0; i < y.length; i++) {
            c += p[i] == y[i] ? 1 : 0;
        }
        return c / (double) y.length;
    }

    @Test
    void nonFiniteOutputsAreAClearErrorNamingTheModel() throws Exception {
        Path model = TestNets.write(TestNets.nonFinite(new long[] {1, 28, 28}, 10), tmp.resolve("nan-model.onnx"));
        Path json = tmp.resolve("nan.json");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model.toString(), "--data", "fashion-mnist",
                "--limit", "8", "--attack", "fgsm", "--eps", "0.1", "--device", "cpu", "--json", json.toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("nan-model.onnx") && r.err().contains("not finite"), r.err());
        assertFalse(Files.exists(json));
    }

    @Test
    void jsonWritesNullWithAReasonNeverNaN() throws Exception {
        ObjectNode n = MAPPER.createObjectNode();
        JsonReport.number(n, "a", Double.NaN, "no examples");
        JsonReport.number(n, "b", 0.5, "unused");
        n.putObject("inner").put("c", Double.POSITIVE_INFINITY);
        n.putArray("list").add(Double.NaN).add(1.0);
        JsonReport.replaceNonFinite(n);
        String text = MAPPER.writeValueAsString(n);
        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        assertTrue(n.get("a").isNull() && n.get("a_null_reason").asText().contains("no examples"), text);
        assertEquals(0.5, n.get("b").asDouble());
        assertTrue(n.get("inner").get("c").isNull() && n.get("inner").has("c_null_reason"), text);
        assertTrue(n.get("list").get(0).isNull(), text);
    }
}
