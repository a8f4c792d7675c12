package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.plugin.cli.Main;
import org.widerobust.plugin.train.war.ReferenceRun;

/**
 * {@code widerobust train} with the λ rules: a reference run, then a wider run whose ρ_ref comes from the reference's
 * {@code model.tribuo}; {@code train.json} and {@code train-batches.jsonl} hold the fields.
 */
class WarCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String[] args(Path out, double width, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--arch", "mlp", "--width", Double.toString(width),
                "--data", "synthetic:120", "--method", "trades", "--lambda", "2", "--steps", "2", "--epochs", "2",
                "--batch", "20", "--device", "cpu", "--threads", "2", "--out", out.toString(), "--quiet"));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void ratioReadsTheReferenceModelsHistory(@TempDir Path tmp) throws Exception {
        Path ref = tmp.resolve("ref");
        assertEquals(0, Main.standard().run(args(ref, 0.25, "--war", "fixed")));
        JsonNode refEpochs = JSON.readTree(ref.resolve("train.json").toFile()).get("epochs");
        JsonNode last = refEpochs.get(1);
        double rhoRef = last.get("robust_regularization").asDouble() / last.get("natural_risk").asDouble();

        Path wide = tmp.resolve("wide");
        assertEquals(0, Main.standard().run(args(wide, 1, "--war", "ratio", "--war-reference",
                ref.resolve("model.tribuo").toString(), "--war-interval", "2", "--val", "20", "--lr-schedule",
                "cosine", "--nesterov")));
        JsonNode report = JSON.readTree(wide.resolve("train.json").toFile());
        JsonNode rule = report.get("config").get("lambda_rule");
        assertEquals("ratio", rule.get("rule").asText());
        assertEquals(rhoRef, rule.get("rho_ref").asDouble(), 1e-12 * rhoRef);
        assertEquals(2, rule.get("interval").asInt());
        assertEquals("cosine", report.get("config").get("learning_rate_schedule").asText());
        assertTrue(report.get("config").get("nesterov").asBoolean());
        for (JsonNode e : report.get("epochs")) {
            for (String f : List.of("natural_risk", "robust_regularization", "ratio", "local_lipschitz",
                    "val_natural_accuracy", "val_robust_accuracy", "val_stability")) {
                assertTrue(e.get(f).isNumber(), f + " in " + e);
            }
            assertTrue(e.get("lambda").get("last").asDouble() >= 2, e.toString());
            assertTrue(e.get("lambda").get("mean").asDouble() >= 2, e.toString());
        }
        int best = report.get("best").get("epoch").asInt();
        assertTrue(best == 1 || best == 2);
        assertTrue(Files.exists(wide.resolve("best.onnx")) && Files.exists(wide.resolve("best.tribuo")));
        List<String> lines = Files.readAllLines(wide.resolve("train-batches.jsonl"));
        assertEquals(2 * 5, lines.size(), "100 training examples in batches of 20, two epochs");
        JsonNode first = JSON.readTree(lines.get(0));
        for (String f : List.of("epoch", "batch", "lambda", "ratio", "natural_risk", "robust_regularization")) {
            assertTrue(first.get(f).isNumber(), f + " in " + first);
        }
        assertEquals(2.0, first.get("lambda").asDouble(), 0);
        ReferenceRun reference = ReferenceRun.read(ref);
        assertEquals(rhoRef, reference.ratio(), 1e-12 * rhoRef, "a run directory works too");
        // the reference's settings, read back from its model's provenance, are recorded beside rho_ref ...
        JsonNode recorded = rule.get("reference");
        assertEquals("trades", recorded.get("method").asText());
        assertEquals(0.25, recorded.get("width").asDouble(), 0);
        assertEquals(2.0, recorded.get("lambda").asDouble(), 0);
        assertEquals(reference.epsilon(), recorded.get("epsilon").asDouble(), 0);
        // ... and a wider run with the same method, eps and lambda0 fits it, while any other run is named
        assertEquals(List.of(), reference.mismatches("trades", reference.epsilon(), "mlp", 1, 2));
        List<String> off = reference.mismatches("pgd", 2 * reference.epsilon(), "smallcnn", 0.125, 6);
        assertEquals(5, off.size(), off.toString());
        assertTrue(off.get(0).contains("method trades") && off.get(1).contains("eps")
                && off.get(2).contains("mlp network") && off.get(3).contains("wider (k = 0.25)")
                && off.get(4).contains("lambda 2"), off.toString());
        // a best-epoch checkpoint before the last as the reference is named (its rho_ref ends at that epoch)
        List<String> fromBest = ReferenceRun.read(wide.resolve("best.tribuo")).mismatches("trades",
                reference.epsilon(), "mlp", 1, 2);
        assertEquals(best < 2, fromBest.stream().anyMatch(m -> m.contains("best-validation checkpoint")),
                "best epoch " + best + ": " + fromBest);
        assertTrue(ReferenceRun.read(wide.resolve("model.tribuo")).mismatches("trades", reference.epsilon(), "mlp",
                1, 2).stream().noneMatch(m -> m.contains("best-validation")));
        // the rule's settings and the history are in the model's provenance
        String prov = report.get("provenance").toString();
        assertTrue(prov.contains("training_history") && prov.contains("RatioRule"), prov);
    }

    @Test
    void inconsistentRuleOptionsExitWithTwo(@TempDir Path tmp) {
        Path out = tmp.resolve("x");
        assertEquals(2, Main.standard().run(args(out, 1, "--war", "ratio")));
        assertEquals(2, Main.standard().run(args(out, 1, "--war", "ratio", "--war-ratio", "0.1",
                "--war-reference", "m.tribuo")));
        assertEquals(2, Main.standard().run(args(out, 1, "--war-ratio", "0.1")));
        assertEquals(2, Main.standard().run(args(out, 1, "--war", "power", "--war-power", "1")));
        assertEquals(2, Main.standard().run(args(out, 1, "--war", "ratio", "--war-reference",
                tmp.resolve("missing.tribuo").toString())));
        assertEquals(2, Main.standard().run(args(out, 1, "--war", "sideways")));
        assertEquals(2, Main.standard().run(args(out, 1, "--lr-schedule", "step")));
        assertEquals(2, Main.standard().run(args(out, 1, "--war", "ratio", "--war-ratio", "0.1", "--war-max",
                "1")));
        assertTrue(!Files.exists(out.resolve("model.onnx")));
    }
}
