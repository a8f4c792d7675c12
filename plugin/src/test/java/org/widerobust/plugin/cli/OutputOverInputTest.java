package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.plugin.testing.TestNets;

/**
 * No command writes its output over a model it reads: {@code --json} or {@code export --onnx} given the
 * {@code --model} path (also through another spelling of it, or as a model file in the run directory given), and
 * {@code attack --save DIR --overwrite} with the model inside DIR. Each is refused in one line before any work, and
 * the model is left as it was.
 */
class OutputOverInputTest {
    @TempDir
    Path tmp;

    private Path model() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        return Files.copy(TestNets.fixture("mlp").resolve("model.onnx"), run.resolve("model.onnx"));
    }

    private static void refused(CliRunner.Result r, String what) {
        assertEquals(2, r.code(), what + ": " + r.err());
        assertTrue(r.err().contains("would overwrite the model that --model") || r.err().contains("holds the model"),
                what + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void outputsThatWouldDestroyTheInputModelAreRefused() throws Exception {
        Path model = model();
        byte[] before = Files.readAllBytes(model);
        String[] eval = {"evaluate", "--model", model.toString(), "--data", "fashion-mnist", "--limit", "5",
                "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--json"};
        refused(CliRunner.run(concat(eval, model.toString())), "--json = --model");
        refused(CliRunner.run(concat(eval, model.getParent().resolve("../run/./model.onnx").toString())),
                "--json = --model, spelled another way");
        refused(CliRunner.run("export", "--model", model.toString(), "--onnx", model.toString()), "export onto itself");
        refused(CliRunner.run("attack", "--model", model.toString(), "--data", "fashion-mnist", "--limit", "5",
                "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--save", model.getParent().toString(),
                "--overwrite"), "attack --save over the model's directory");
        assertArrayEquals(before, Files.readAllBytes(model), "the model is untouched");
        CliRunner.Result elsewhere = CliRunner.run(concat(eval, tmp.resolve("eval.json").toString()));
        assertEquals(0, elsewhere.code(), elsewhere.err());
    }

    private static String[] concat(String[] a, String last) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }
}
