package org.widerobust.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.data.DenseDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class IdxImageDataSourceTest {
    @TempDir
    Path dir;

    private DataFormatException fails(Path expectedFile, String expectedProblem, Runnable r) {
        DataFormatException e = assertThrows(DataFormatException.class, r::run);
        assertEquals(expectedFile.toAbsolutePath().normalize(), e.file().toAbsolutePath().normalize(), e.getMessage());
        assertTrue(e.getMessage().startsWith(e.file().toString()), e.getMessage());
        assertTrue(e.problem().contains(expectedProblem), e.getMessage());
        return e;
    }

    private IdxImageDataSource source(Split split, int limit) {
        return new IdxImageDataSource(dir, split, limit, PixelScaling.UNIT, 0);
    }

    @Test
    void readsRawAndGzip() throws IOException {
        TestFiles.idxPair(dir, "train", 7, true);
        TestFiles.idxPair(dir, "t10k", 4, false);
        DenseDataset tr = source(Split.TRAIN, -1).dense();
        assertEquals(7, tr.size());
        assertArrayEquals(new long[]{1, 4, 5}, tr.exampleShape());
        assertEquals(3, tr.numClasses());
        assertArrayEquals(new int[]{0, 1, 2, 0, 1, 2, 0}, tr.labels());
        for (int i = 0; i < 7; i++) for (int j = 0; j < 20; j++) assertEquals(TestFiles.pixel(i, j) / 255f, tr.get(i, j));
        DenseDataset te = source(Split.TEST, -1).dense();
        assertEquals(4, te.size());
        assertEquals("ch0-r3-c4", te.featureNames().get(19));
    }

    @Test
    void limitScalingAndExplicitFiles() throws IOException {
        TestFiles.idxPair(dir, "emnist-digits-train", 6, false);
        IdxImageDataSource s = new IdxImageDataSource(dir.resolve("emnist-digits-train-images-idx3-ubyte"),
                dir.resolve("emnist-digits-train-labels-idx1-ubyte"), Split.TRAIN, 2, PixelScaling.RAW, 10);
        DenseDataset d = s.dense();
        assertEquals(2, d.size());
        assertEquals(10, d.numClasses());
        assertEquals((float) TestFiles.pixel(1, 3), d.get(1, 3));
        assertTrue(d.description().contains("first(2)"), d.description());
        // discovery by name works for EMNIST-style prefixes too
        assertEquals(6, source(Split.TRAIN, -1).size());
        // a limit beyond the data keeps everything
        assertEquals(6, source(Split.TRAIN, 100).size());
    }

    @Test
    void ambiguousOrMissingFiles() throws IOException {
        fails(dir.resolve("nope"), "directory does not exist", () -> new IdxImageDataSource(dir.resolve("nope"), Split.TRAIN, -1, PixelScaling.UNIT, 0));
        fails(dir, "no IDX images file", () -> source(Split.TRAIN, -1));
        TestFiles.idxPair(dir, "a-train", 2, false);
        TestFiles.idxPair(dir, "b-train", 2, false);
        fails(dir, "several IDX image files", () -> source(Split.TRAIN, -1));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), TestFiles.idxImages(2, 4, 5));
        fails(dir.resolve("t10k-labels-idx1-ubyte"), "does not exist", () -> source(Split.TEST, -1));
    }

    @Test
    void truncatedImages() throws IOException {
        TestFiles.idxPair(dir, "train", 5, false);
        Path im = dir.resolve("train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(im);
        Files.write(im, Arrays.copyOf(b, b.length - 3));
        fails(im, "truncated", () -> source(Split.TRAIN, -1));
        // also detected when only a prefix is wanted
        fails(im, "truncated", () -> source(Split.TRAIN, 1));
        Files.write(im, Arrays.copyOf(b, 10));
        fails(im, "truncated", () -> source(Split.TRAIN, -1));
    }

    @Test
    void truncatedGzipImages() throws IOException {
        TestFiles.idxPair(dir, "train", 5, true);
        Path im = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] b = Files.readAllBytes(im);
        Files.write(im, Arrays.copyOf(b, b.length - 20));
        fails(im, "truncated", () -> source(Split.TRAIN, -1));
    }

    @Test
    void truncatedLabels() throws IOException {
        TestFiles.idxPair(dir, "train", 5, false);
        Path lb = dir.resolve("train-labels-idx1-ubyte");
        byte[] b = Files.readAllBytes(lb);
        Files.write(lb, Arrays.copyOf(b, b.length - 1));
        fails(lb, "truncated", () -> source(Split.TRAIN, -1));
    }

    @Test
    void trailingBytes() throws IOException {
        TestFiles.idxPair(dir, "train", 5, false);
        Path im = dir.resolve("train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(im);
        Files.write(im, Arrays.copyOf(b, b.length + 20));
        fails(im, "longer than its header", () -> source(Split.TRAIN, -1));
    }

    @Test
    void wrongMagic() throws IOException {
        TestFiles.idxPair(dir, "train", 5, false);
        Path im = dir.resolve("train-images-idx3-ubyte");
        // a labels file where images are expected
        Files.write(im, TestFiles.idxLabels(1, 2, 3, 4, 5));
        fails(im, "wrong magic number 0x00000801", () -> source(Split.TRAIN, -1));
        Path lb = dir.resolve("train-labels-idx1-ubyte");
        Files.write(lb, new byte[]{'G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0});
        fails(lb, "wrong magic number", () -> source(Split.TRAIN, -1));
    }

    @Test
    void countMismatch() throws IOException {
        TestFiles.idxPair(dir, "train", 5, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(0, 1, 2, 0));
        DataFormatException e = fails(dir.resolve("train-images-idx3-ubyte"), "image count 5 disagrees with label count 4", () -> source(Split.TRAIN, -1));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte"));
    }

    @Test
    void labelOutOfRange() throws IOException {
        TestFiles.idxPair(dir, "train", 5, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), TestFiles.idxLabels(0, 1, 12, 0, 3));
        fails(dir.resolve("train-labels-idx1-ubyte"), "label 12 of example 2 is out of range [0, 10)",
                () -> new IdxImageDataSource(dir, Split.TRAIN, -1, PixelScaling.UNIT, 10));
    }

    @Test
    void unreadableGzip() throws IOException {
        TestFiles.idxPair(dir, "train", 5, false);
        Path im = dir.resolve("train-images-idx3-ubyte");
        Files.delete(im);
        Path gz = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] junk = new byte[64];
        junk[0] = 0x1f;
        junk[1] = (byte) 0x8b;
        junk[2] = 8;
        for (int i = 10; i < junk.length; i++) junk[i] = (byte) (i * 37);
        junk[10] = 0x07; // final deflate block with the reserved block type 3
        Files.write(gz, junk);
        fails(gz, "unreadable gzip stream", () -> source(Split.TRAIN, -1));
        junk[2] = 99; // bad compression method in the gzip header
        Files.write(gz, junk);
        fails(gz, "unreadable gzip stream", () -> source(Split.TRAIN, -1));
    }

    @Test
    void invalidOptions() throws IOException {
        TestFiles.idxPair(dir, "train", 5, false);
        assertThrows(com.oracle.labs.mlrg.olcut.config.PropertyException.class, () -> source(Split.TRAIN, 0));
        assertThrows(com.oracle.labs.mlrg.olcut.config.PropertyException.class,
                () -> new IdxImageDataSource(dir, Split.TRAIN, -1, PixelScaling.UNIT, 300));
    }
}
