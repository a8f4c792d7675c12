package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code widerobust bench --workloads}: only the chosen workloads run and appear in the report. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    private CliRunner.Result bench(String workloads, Path json) {
        return CliRunner.run("bench", "--arch", "mlp", "--width", "0.25", "--batch", "2", "--seconds", "0.001",
                "--device", "cpu", "--threads", "1", "--workloads", workloads, "--json", json.toString());
    }

    private static List<String> keys(Path json) throws Exception {
        List<String> keys = new ArrayList<>();
        new ObjectMapper().readTree(json.toFile()).fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void skippedWorkloadsAreAbsentFromTheReport() throws Exception {
        Path json = tmp.resolve("forward.json");
        CliRunner.Result r = bench("forward", json);
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("engine", "arch", "network", "width", "example_shape", "batch", "device", "parameters",
                "multiply_adds_per_example", "forward_examples_per_s", "peak_rss_bytes"), keys(json));
        assertTrue(new ObjectMapper().readTree(json.toFile()).get("forward_examples_per_s").asDouble() > 0);
    }

    @Test
    void trainStepAloneKeepsItsKeys() throws Exception {
        Path json = tmp.resolve("train.json");
        CliRunner.Result r = bench(" PGD10_train_step , pgd20_eval", json);
        assertEquals(0, r.code(), r.err());
        List<String> keys = keys(json);
        assertEquals(List.of("pgd20_eval_examples_per_s", "pgd10_train_step_examples_per_s",
                "pgd10_train_step_gflop_per_s", "peak_rss_bytes"), keys.subList(keys.size() - 4, keys.size()));
        assertFalse(keys.contains("forward_examples_per_s"), keys.toString());
        assertFalse(keys.contains("input_gradient_examples_per_s"), keys.toString());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertTrue(report.get("pgd10_train_step_examples_per_s").asDouble() > 0);
    }

    @Test
    void unknownWorkloadExitsWithTwoAndNamesTheChoices() {
        Path json = tmp.resolve("none.json");
        CliRunner.Result r = bench("forward,pgd7", json);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'pgd7'"), r.err());
        assertTrue(r.err().contains("forward,input_gradient,pgd20_eval,pgd10_train_step"), r.err());
        assertEquals(2, bench(",", json).code());
        assertFalse(Files.exists(json));
    }

    @Test
    void tradesStepOnWideResNetRunsOnCifarShapedInput() throws Exception {
        Path json = tmp.resolve("wrn.json");
        CliRunner.Result r = CliRunner.run("bench", "--arch", "wrn-10", "--width", "0.25", "--batch", "2",
                "--seconds", "0.001", "--device", "cpu", "--threads", "1", "--workloads", "trades_train_step",
                "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals("[3, 32, 32]", report.get("example_shape").asText());
        assertEquals("wrn-10-0.25", report.get("network").asText());
        assertTrue(report.get("trades_train_step_examples_per_s").asDouble() > 0);
        double rate = report.get("trades_train_step_examples_per_s").asDouble();
        long macs = report.get("multiply_adds_per_example").asLong();
        // 27 forward passes' multiply-adds per example: clean forward, 10 KL input gradients, doubled-batch pass
        assertEquals(rate * 27 * 2.0 * macs / 1e9, report.get("trades_train_step_gflop_per_s").asDouble(),
                1e-9 * rate * macs);
        assertFalse(report.has("pgd10_train_step_examples_per_s"));
    }
}
