package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        assertTrue(r.err().contains("which this command reads"),
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

    @Test
    void noSpellingLinkDataDirectoryOrRunFileEscapesTheCheck() throws Exception {
        Path model = model();
        Path run = model.getParent();
        Path link = Files.createSymbolicLink(tmp.resolve("runlink"), run);
        byte[] before = Files.readAllBytes(model);
        // the model reached through a link, the directory replaced under its real name, and the reverse
        refused(CliRunner.run("attack", "--model", link.resolve("model.onnx").toString(), "--data", "fashion-mnist",
                "--limit", "5", "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--save", run.toString(),
                "--overwrite"), "--model through a link");
        refused(CliRunner.run("attack", "--model", model.toString(), "--data", "fashion-mnist", "--limit", "5",
                "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--save", link.toString(), "--overwrite"),
                "--save through a link");
        // a data directory: neither a file in it nor the directory itself
        Path data = Files.createDirectories(tmp.resolve("data"));
        for (String f : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(Path.of("/usr/share/datasets/fashion-mnist", f), data.resolve(f));
        }
        String[] eval = {"evaluate", "--model", model.toString(), "--data", "idx:" + data, "--split", "test",
                "--limit", "5", "--attack", "pgd", "--eps", "0.1", "--steps", "1"};
        refused(CliRunner.run(concat(concat(eval, "--json"), data.resolve("t10k-images-idx3-ubyte.gz").toString())),
                "--json over a data file");
        CliRunner.Result saveOverData = CliRunner.run("attack", "--model", model.toString(), "--data", "idx:" + data,
                "--split", "test", "--limit", "5", "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--save",
                data.toString(), "--overwrite");
        refused(saveOverData, "--save --overwrite over the data directory");
        // a report inside the directory that --overwrite replaces would be deleted with it
        Path save = tmp.resolve("save");
        CliRunner.Result inside = CliRunner.run("attack", "--model", model.toString(), "--data", "fashion-mnist",
                "--limit", "5", "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--save", save.toString(),
                "--overwrite", "--json", save.resolve("r.json").toString());
        assertEquals(2, inside.code(), inside.err());
        assertTrue(inside.err().contains("is replaced as a whole after it is written"), inside.err());
        assertTrue(!Files.exists(save), "a refused command creates no directory");
        // a training run's own files
        Files.writeString(run.resolve("train.json"), "{}");
        CliRunner.Result runFile = CliRunner.run(concat(concat(new String[] {"evaluate", "--model",
                model.toString(), "--data", "fashion-mnist", "--limit", "5", "--attack", "pgd", "--eps", "0.1",
                "--steps", "1"}, "--json"), run.resolve("train.json").toString()));
        assertEquals(2, runFile.code(), runFile.err());
        assertTrue(runFile.err().contains("would write train.json, one of the training run's own files in"),
                runFile.err());
        assertArrayEquals(before, Files.readAllBytes(model), "the model is untouched");
        assertEquals("{}", Files.readString(run.resolve("train.json")));
        assertEquals(2, Files.list(data).count(), "the data directory is untouched");
    }

    @Test
    void overwriteReplacesOnlyAnEarlierSaveAndLinkDotDotIsResolvedAsTheSystemDoes() throws Exception {
        Path model = model();
        // another training run (or any directory a save did not write) is never replaced
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("train.json"), "{}");
        Files.writeString(other.resolve("notes.txt"), "mine");
        Path toOther = Files.createSymbolicLink(tmp.resolve("to-other"), other);
        for (Path save : List.of(other, toOther)) { // the directory itself, and a link naming it
            CliRunner.Result r = CliRunner.run("attack", "--model", model.toString(), "--data", "fashion-mnist",
                    "--limit", "5", "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--save", save.toString(),
                    "--overwrite");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("which no attack --save wrote"), r.err());
            assertEquals("mine", Files.readString(other.resolve("notes.txt")));
        }
        // link/.. is the parent of the link's target, not the directory holding the link
        Path deep = Files.createDirectories(tmp.resolve("x/a/b"));
        Path lnk = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("v")).resolve("lnk"), deep);
        Path run = model.getParent();
        Files.move(run, tmp.resolve("x/a/run"));
        Path moved = tmp.resolve("x/a/run/model.onnx");
        byte[] before = Files.readAllBytes(moved);
        refused(CliRunner.run("export", "--model", moved.toString(), "--onnx", lnk.resolve("../run/model.onnx")
                .toString()), "export through link/..");
        assertArrayEquals(before, Files.readAllBytes(moved));
        assertEquals(tmp.resolve("x/a").toRealPath(), OutputGuard.real(lnk.resolve("..")));
        assertEquals(tmp.resolve("x/a").toRealPath().resolve("new/f"), OutputGuard.real(lnk.resolve("../new/f")));
    }

    @Test
    void aSaveIsWrittenWholeSoNothingElseMayLieInIt() throws Exception {
        Path model = model();
        Path fresh = tmp.resolve("fresh");
        CliRunner.Result json = CliRunner.run("attack", "--model", model.toString(), "--data", "fashion-mnist",
                "--limit", "5", "--attack", "pgd", "--eps", "0.1", "--steps", "1", "--save", fresh.toString(),
                "--json", fresh.resolve("r.json").toString());
        assertEquals(2, json.code(), json.err());
        assertTrue(json.err().contains("is replaced as a whole"), json.err());
        // an earlier save holding a file of the user's, deep inside: --overwrite refuses it
        String[] save = {"attack", "--model", model.toString(), "--data", "fashion-mnist", "--limit", "5", "--attack",
                "pgd", "--eps", "0.1", "--steps", "1", "--save", tmp.resolve("s").toString()};
        assertEquals(0, CliRunner.run(save).code());
        Path notes = tmp.resolve("s/per_attack/pgd-1/notes.txt");
        Files.writeString(notes, "mine");
        CliRunner.Result deep = CliRunner.run(concat(save, "--overwrite"));
        assertEquals(2, deep.code(), deep.err());
        assertTrue(deep.err().contains("per_attack/pgd-1/notes.txt"), deep.err());
        assertEquals("mine", Files.readString(notes));
        Files.delete(notes);
        assertEquals(0, CliRunner.run(concat(save, "--overwrite")).code(), "an earlier save alone is replaced");
    }

    private static String[] concat(String[] a, String last) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }
}
