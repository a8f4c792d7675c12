package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.files.AtomicFiles;
import org.widerobust.plugin.train.Checkpoint;

/**
 * The training faults of issue 11 from the command line, with a real {@code train} process: a second run into its
 * directory is refused naming it; after {@code kill -9} a rerun without {@code --resume} is refused and the killed
 * run's checkpoint survives; temporaries of killed writes are removed on the next start; per-epoch lines reach a
 * log as each epoch ends; the log holds no progress-bar frames.
 */
class TrainRunFaultsTest {
    @TempDir
    Path tmp;

    private String[] train(Path out, String... extra) {
        String[] base = {"train", "--arch", "mlp", "--width", "0.25", "--data", "synthetic:200", "--method", "pgd",
                "--steps", "1", "--epochs", "1000", "--batch", "20", "--checkpoint-every", "1", "--device", "cpu",
                "--threads", "1", "--out", out.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    @Timeout(300)
    void concurrentRunIsRefusedAndKilledRunIsNotOverwritten() throws Exception {
        Path out = tmp.resolve("run");
        Path stdout = tmp.resolve("stdout.log");
        Path stderr = tmp.resolve("stderr.log");
        Path ckpt = out.resolve("checkpoints").resolve(Checkpoint.FILE);
        Process p = CliProcess.start(stdout, stderr, train(out));
        try {
            CliProcess.await(p, stderr, 120, "checkpoint and epoch line", () -> Files.exists(ckpt)
                    && Files.readString(stdout).contains("epoch 1 "));
            // per-epoch lines appear as each epoch ends: the run is far from done
            assertTrue(p.isAlive());

            // a second run into the same directory, in any mode, is refused and names the first one's process
            for (String[] extra : new String[][] {{}, {"--resume"}, {"--overwrite"}}) {
                CliRunner.Result second = CliRunner.run(train(out, extra));
                assertEquals(2, second.code(), second.err());
                assertTrue(second.err().contains("in use by another training run"), second.err());
                assertTrue(second.err().contains("pid " + p.pid()), second.err());
                assertFalse(second.err().contains("\tat "), second.err());
            }
            assertTrue(p.isAlive(), "the first run must be untouched");
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
            p.waitFor(30, TimeUnit.SECONDS);
        }

        // the killed run's log: plain text, no carriage-return frames or colour codes
        String log = Files.readString(stderr, StandardCharsets.UTF_8);
        assertFalse(log.contains("\r"), "carriage returns in a log file");
        assertFalse(log.contains("\u001b["), "colour codes in a log file");

        // a killed write's temporary file, left behind
        Path leftover = ckpt.resolveSibling("." + Checkpoint.FILE + ".0123abcd" + AtomicFiles.TEMP_SUFFIX);
        Files.write(leftover, new byte[] {1, 2, 3});
        byte[] before = Files.readAllBytes(ckpt);

        // rerun without --resume: refused, the killed run's checkpoint survives byte for byte
        CliRunner.Result again = CliRunner.run(train(out));
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("holds another run") && again.err().contains("--resume")
                && again.err().contains("--overwrite"), again.err());
        assertFalse(again.err().contains("\tat "), again.err());
        assertArrayEquals(before, Files.readAllBytes(ckpt));
        assertFalse(again.out().contains("epoch 1 "), "nothing may be trained");
        // ... and the start removed the temporary file of the killed write
        assertFalse(Files.exists(leftover), "leftover temporary file not removed");
        assertTrue(again.err().contains("removed " + leftover), again.err());

        // a corrupted checkpoint: --resume says so and what to do instead
        byte[] corrupt = before.clone();
        corrupt[corrupt.length / 2] ^= 0x5A;
        Files.write(ckpt, corrupt);
        CliRunner.Result resumed = CliRunner.run(train(out, "--resume"));
        assertEquals(2, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("is truncated or corrupt (checksum mismatch); it cannot be resumed: "
                + "--overwrite starts the run again"), resumed.err());
        // an empty one (a full disk): the same, not the bare "null" of an end-of-file exception
        Files.write(ckpt, new byte[0]);
        CliRunner.Result empty = CliRunner.run(train(out, "--resume"));
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().contains("truncated or corrupt") && !empty.err().contains("null"), empty.err());
    }

    /**
     * --overwrite discards the previous run's files all or nothing: one that cannot be removed (made immutable with
     * chattr, where the file system allows it) leaves every file as it was (a field report: the checkpoint was
     * already gone). Skipped where chattr is unavailable.
     */
    @Test
    void aFailedOverwriteLeavesThePreviousRunWhole() throws Exception {
        Path out = tmp.resolve("run");
        String[] small = CliRunner.tinyTrain(out, 80, 1);
        assertEquals(0, CliRunner.run(small).code());
        Path model = out.resolve("model.onnx");
        Process chattr = new ProcessBuilder("chattr", "+i", model.toString()).redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr.waitFor() == 0, "chattr +i is not available here");
        try {
            java.util.Map<String, byte[]> before = new java.util.TreeMap<>();
            for (String f : org.widerobust.plugin.train.RunDirectory.ALL_RUN_FILES) {
                if (Files.exists(out.resolve(f))) {
                    before.put(f, Files.readAllBytes(out.resolve(f)));
                }
            }
            String[] overwrite = java.util.Arrays.copyOf(small, small.length + 1);
            overwrite[small.length] = "--overwrite";
            CliRunner.Result r = CliRunner.run(overwrite);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("cannot delete " + model) && r.err().contains("as they were"), r.err());
            for (java.util.Map.Entry<String, byte[]> e : before.entrySet()) {
                assertTrue(java.util.Arrays.equals(e.getValue(), Files.readAllBytes(out.resolve(e.getKey()))),
                        e.getKey() + " changed");
            }
            try (var left = Files.list(out)) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".discarded-")));
            }
        } finally {
            new ProcessBuilder("chattr", "-i", model.toString()).start().waitFor();
        }
    }
}
