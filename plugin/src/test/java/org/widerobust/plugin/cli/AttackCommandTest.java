package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.data.Npy;
import org.widerobust.plugin.testing.TestNets;

/** {@code widerobust attack --save DIR}: npy, IDX and PNG read back; an earlier save is kept or replaced whole. */
class AttackCommandTest {
    @TempDir
    Path tmp;

    @Test
    void savesReadableNpyIdxAndPng() throws Exception {
        Path dir = tmp.resolve("adv");
        CliRunner.Result r = CliRunner.run("attack", "--model", TestNets.fixture("mlp").resolve("model.onnx")
                .toString(), "--data", "fashion-mnist", "--limit", "20", "--attack", "pgd", "--eps", "0.1",
                "--steps", "5", "--device", "cpu", "--save", dir.toString());
        assertEquals(0, r.code(), r.err());

        Npy.Array adv = Npy.read(dir.resolve("adversarial.npy"));
        assertArrayEquals(new long[] {20, 1, 28, 28}, adv.shape());
        float[] orig = Npy.read(dir.resolve("original.npy")).toFloats();
        float[] a = adv.toFloats();
        double maxD = 0;
        for (int i = 0; i < a.length; i++) {
            maxD = Math.max(maxD, Math.abs(a[i] - orig[i]));
            assertTrue(a[i] >= 0 && a[i] <= 1);
        }
        assertTrue(maxD > 0.05 && maxD <= 0.1 + 1e-6, "max change " + maxD);
        assertArrayEquals(new long[] {20}, Npy.read(dir.resolve("labels.npy")).shape());
        long[] preds = Npy.read(dir.resolve("predictions.npy")).toLongs();
        assertEquals(20, preds.length);

        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(
                "adversarial-images-idx3-ubyte")))) {
            assertEquals(0x0803, in.readInt());
            assertEquals(20, in.readInt());
            assertEquals(28, in.readInt());
            assertEquals(28, in.readInt());
            byte[] bytes = in.readAllBytes();
            assertEquals(20 * 28 * 28, bytes.length);
            // the rounded bytes stay inside the ε-ball around the clean images (plain rounding left it by 1/510)
            double maxByteD = 0;
            for (int i = 0; i < bytes.length; i++) {
                maxByteD = Math.max(maxByteD, Math.abs((bytes[i] & 0xff) / 255.0 - orig[i]));
            }
            assertTrue(maxByteD <= 0.1 + 1e-6, "IDX bytes moved " + maxByteD);
        }
        // --data idx:DIR reads the save back (its names name no split) and the same model is attacked on it
        CliRunner.Result reread = CliRunner.run("evaluate", "--model", TestNets.fixture("mlp").resolve("model.onnx")
                .toString(), "--data", "idx:" + dir, "--attack", "pgd", "--eps", "0.1", "--steps", "1",
                "--device", "cpu");
        assertEquals(0, reread.code(), reread.err());
        assertTrue(reread.out().contains("natural"), reread.out());
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(
                "adversarial-labels-idx1-ubyte")))) {
            assertEquals(0x0801, in.readInt());
            assertEquals(20, in.readInt());
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(
                "adversarial-images-float.idx")))) {
            assertEquals(0x0D04, in.readInt());
            in.skipNBytes(16);
            assertEquals(a[0], in.readFloat());
        }
        BufferedImage png = ImageIO.read(dir.resolve("grid.png").toFile());
        int cellW = Math.max(28 * 3, 120);
        assertEquals(6 + 3 * (cellW + 6), png.getWidth());
        assertEquals(14 + 6 + 16 * (28 * 3 + 14 + 6) + 6, png.getHeight());

        // a second attack into the same directory: refused before it runs, replaced as a whole with --overwrite
        String[] again = {"attack", "--model", TestNets.fixture("mlp").resolve("model.onnx").toString(), "--data",
                "fashion-mnist", "--limit", "10", "--attack", "pgd", "--eps", "0.1", "--steps", "3", "--device",
                "cpu", "--save", dir.toString()};
        CliRunner.Result refused = CliRunner.run(again);
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("already holds files") && refused.err().contains("--overwrite"),
                refused.err());
        assertEquals("", refused.out(), "refused before the attack ran");
        assertArrayEquals(new long[] {20, 1, 28, 28}, Npy.read(dir.resolve("adversarial.npy")).shape());
        String[] overwrite = java.util.Arrays.copyOf(again, again.length + 1);
        overwrite[again.length] = "--overwrite";
        CliRunner.Result replaced = CliRunner.run(overwrite);
        assertEquals(0, replaced.code(), replaced.err());
        assertArrayEquals(new long[] {10, 1, 28, 28}, Npy.read(dir.resolve("adversarial.npy")).shape());
        try (var attacks = Files.list(dir.resolve("per_attack"))) {
            assertEquals(java.util.List.of("pgd-3"), attacks.map(p -> p.getFileName().toString()).toList(),
                    "the first attack's per-attack directory is gone");
        }
        CliRunner.Result stray = CliRunner.run("attack", "--model", TestNets.fixture("mlp").resolve("model.onnx")
                .toString(), "--data", "fashion-mnist", "--limit", "5", "--attack", "pgd", "--eps", "0.1",
                "--overwrite");
        assertEquals(2, stray.code());
        assertTrue(stray.err().contains("--overwrite applies to --save"), stray.err());
    }

    /** 8-bit levels inside the eps-ball: exact for whole-level budgets, the nearest inside for ε = 0.1 (25.5 levels). */
    @Test
    void idxBytesAreTheNearestLevelsInsideTheBall() {
        float[] unit = {0, 1};
        assertEquals(108, AdversarialWriter.toByte(108 / 255f, 100 / 255f, unit, 8 / 255.0));
        assertEquals(92, AdversarialWriter.toByte(92 / 255f, 100 / 255f, unit, 8 / 255.0));
        assertEquals(125, AdversarialWriter.toByte(100 / 255f + 0.1f, 100 / 255f, unit, 0.1)); // not 126
        assertEquals(113, AdversarialWriter.toByte(112.6f / 255, 100 / 255f, unit, 0.1)); // inside: plain nearest
        assertEquals(125, AdversarialWriter.toByte(100 / 255f + 0.1f, 100 / 255f, unit, Double.NaN)); // L2
        assertEquals(0, AdversarialWriter.toByte(-0.01f, 0f, unit, 0.1));
    }

    /** A second attack into a save directory another attack is writing is refused, naming the holder. */
    @Test
    void aSaveDirectoryIsWrittenByOneAttackAtATime() throws Exception {
        Path dir = tmp.resolve("busy");
        try (org.widerobust.plugin.train.ProcessLock held = org.widerobust.plugin.train.ProcessLock.tryAcquire(
                tmp.resolve(".busy.save.lock"))) {
            CliRunner.Result r = CliRunner.run("attack", "--model", TestNets.fixture("mlp").resolve("model.onnx")
                    .toString(), "--data", "fashion-mnist", "--limit", "5", "--attack", "pgd", "--eps", "0.1",
                    "--steps", "1", "--device", "cpu", "--save", dir.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("is being written by another attack (pid "), r.err());
            assertTrue(!Files.exists(dir), "nothing written");
        }
        CliRunner.Result free = CliRunner.run("attack", "--model", TestNets.fixture("mlp").resolve("model.onnx")
                .toString(), "--data", "fashion-mnist", "--limit", "5", "--attack", "pgd", "--eps", "0.1",
                "--steps", "1", "--device", "cpu", "--save", dir.toString());
        assertEquals(0, free.code(), free.err());
        assertTrue(!Files.exists(tmp.resolve(".busy.save.lock")), "the lock file is removed after the write");
    }
}
