package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} → {@code export} / {@code info}, and {@code evaluate --model model.tribuo} white-box with the same
 * numbers as evaluating the exported ONNX file.
 */
class ModelCommandsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void train() {
        run = tmp.resolve("run");
        CliRunner.Result r = CliRunner.run("train", "--arch", "mlp", "--width", "0.25", "--data", "fashion-mnist",
                "--limit", "300", "--method", "trades", "--steps", "2", "--epochs", "1", "--batch", "50",
                "--device", "cpu", "--threads", "2", "--out", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void evaluatingTheModelFileWhiteBoxEqualsEvaluatingItsExport() throws Exception {
        Path onnx = tmp.resolve("exported.onnx");
        CliRunner.Result e = CliRunner.run("export", "--model", run.resolve("model.tribuo").toString(), "--onnx",
                onnx.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(Files.size(onnx) > 0);
        JsonNode fromModel = evaluate(run.resolve("model.tribuo"), tmp.resolve("model.json"));
        JsonNode fromOnnx = evaluate(onnx, tmp.resolve("onnx.json"));
        assertEquals(fromModel.get("natural_accuracy").asDouble(), fromOnnx.get("natural_accuracy").asDouble());
        assertEquals(fromModel.get("robust_accuracy").asDouble(), fromOnnx.get("robust_accuracy").asDouble());
        assertTrue(fromModel.get("per_attack").elements().next().get("white_box").asBoolean(),
                fromModel.toString());
        // the evaluation's provenance holds the model's training provenance
        assertTrue(fromModel.get("provenance").toString().contains("AdversarialTrainer"),
                fromModel.get("provenance").toString());
    }

    private static JsonNode evaluate(Path model, Path json) throws Exception {
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model.toString(), "--data", "fashion-mnist",
                "--split", "test", "--limit", "64", "--attack", "pgd", "--eps", "0.1", "--steps", "5", "--device",
                "cpu", "--threads", "2", "--seed", "3", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        return MAPPER.readTree(json.toFile());
    }

    @Test
    void infoDescribesTheModel() {
        CliRunner.Result r = CliRunner.run("info", "--model", run.resolve("model.tribuo").toString());
        assertEquals(0, r.code(), r.err());
        for (String s : new String[] {"parameters", "input domain [0.0, 1.0]", "trained on   cpu", "epoch 1",
                "AdversarialTrainer", "widerobust-version", "network-sha256", "family = mlp", "width = 0.25",
                // the history carries the objective's columns, as the train command printed them
                "R_nat ", "R_rob ", "lambda 6.00 (mean 6.00)", "rho_t ", "lip ",
                // the recipe in one line (a field report: method, eps and WAR were only in the provenance dump)
                "training     trades, eps 0.1, 2 steps of 0.01, lambda 6.0 (fixed), 1 epoch, batch 50, lr 0.01, seed 1"}) {
            assertTrue(r.out().contains(s), s + " in\n" + r.out());
        }
    }

    @Test
    void infoReadsARunDirectoryAndExplainsAnOnnxFile() {
        CliRunner.Result dir = CliRunner.run("info", "--model", run.toString());
        assertEquals(0, dir.code(), dir.err());
        assertTrue(dir.out().contains("family = mlp"), dir.out());
        CliRunner.Result onnx = CliRunner.run("info", "--model", run.resolve("model.onnx").toString());
        assertEquals(2, onnx.code());
        assertTrue(onnx.err().contains("is an ONNX graph, not a widerobust model"), onnx.err());
        CliRunner.Result empty = CliRunner.run("info", "--model", tmp.toString());
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("is a directory without a model.tribuo"), empty.err());
        CliRunner.Result bare = CliRunner.run("info", run.toString());
        assertEquals(2, bare.code());
        assertTrue(bare.err().contains("unexpected argument(s) [" + run + "]"), bare.err());
    }

    @Test
    void badModelFilesAreOneLineErrors() throws Exception {
        CliRunner.Result missing = CliRunner.run("info", "--model", tmp.resolve("nope.tribuo").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        CliRunner.Result legacy = CliRunner.run("export", "--model",
                Path.of("src/test/resources/legacy/java-serialized-model.tribuo").toString(), "--onnx",
                tmp.resolve("x.onnx").toString());
        assertEquals(2, legacy.code());
        assertTrue(legacy.err().contains("Java-serialized widerobust model"), legacy.err());
        // an output that cannot be written (its "directory" is a regular file) is refused before any work
        java.nio.file.Files.writeString(tmp.resolve("plain-file"), "x");
        CliRunner.Result unwritable = CliRunner.run("export", "--model", run.resolve("model.tribuo").toString(),
                "--onnx", tmp.resolve("plain-file/x.onnx").toString());
        assertEquals(2, unwritable.code());
        assertTrue(unwritable.err().contains("--onnx") && !unwritable.err().contains("\tat "), unwritable.err());
        // missing directories of an output are created, as for every output option
        CliRunner.Result newDir = CliRunner.run("export", "--model", run.resolve("model.tribuo").toString(),
                "--onnx", tmp.resolve("new/dir/x.onnx").toString());
        assertEquals(0, newDir.code(), newDir.err());
        assertTrue(java.nio.file.Files.isRegularFile(tmp.resolve("new/dir/x.onnx")));
    }
}
