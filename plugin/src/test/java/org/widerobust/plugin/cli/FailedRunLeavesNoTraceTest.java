package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.plugin.train.RunDirectory;

/**
 * A {@code train} refused for its input leaves no directory behind, and a directory holding only the per-batch log
 * of a run killed before its first checkpoint is not "another run": a fresh run replaces it.
 */
class FailedRunLeavesNoTraceTest {
    @TempDir
    Path tmp;

    private static String[] train(Path out, String eps) {
        return new String[] {"train", "--arch", "mlp", "--width", "0.25", "--data", "synthetic:80", "--epochs", "1",
                "--batch", "40", "--steps", "1", "--eps", eps, "--device", "cpu", "--threads", "1", "--quiet",
                "--out", out.toString()};
    }

    @Test
    void refusedRunLeavesNoDirectory() {
        Path out = tmp.resolve("never");
        CliRunner.Result r = CliRunner.run(train(out, "-1"));
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(out), "a refused run created " + out);
    }

    @Test
    void batchLogOfARunKilledBeforeItsFirstCheckpointIsReplaced() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("killed-early"));
        Files.writeString(out.resolve(RunDirectory.BATCH_LOG), "{\"epoch\":1,\"batch\":1,\"lambda\":6.0}\n");
        CliRunner.Result r = CliRunner.run(train(out, "0.1"));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("model.tribuo")));
        assertEquals(2, Files.readAllLines(out.resolve(RunDirectory.BATCH_LOG)).size(), "the new run's 2 batches");
    }
}
