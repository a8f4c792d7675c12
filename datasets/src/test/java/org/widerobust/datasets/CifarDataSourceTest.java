package org.widerobust.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.data.DenseDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class CifarDataSourceTest {
    @TempDir
    Path dir;

    private void cifar10(Path d) throws IOException {
        Files.createDirectories(d);
        for (int b = 1; b <= 5; b++) {
            Files.write(d.resolve("data_batch_" + b + ".bin"), TestFiles.cifar((b - 1) * 2, 2, b));
        }
        Files.write(d.resolve("test_batch.bin"), TestFiles.cifar(100, 3, 7));
    }

    private static CifarDataSource c10(Path d, Split s, int limit) {
        return new CifarDataSource(d, CifarDataSource.Variant.CIFAR10, CifarDataSource.LabelType.FINE, s, limit, PixelScaling.UNIT);
    }

    @Test
    void cifar10TrainAndTest() throws IOException {
        cifar10(dir);
        DenseDataset tr = c10(dir, Split.TRAIN, -1).dense();
        assertEquals(10, tr.size());
        assertArrayEquals(new long[]{3, 32, 32}, tr.exampleShape());
        assertEquals(10, tr.numClasses());
        // batch b record i has label (b + i) % 10
        assertArrayEquals(new int[]{1, 2, 2, 3, 3, 4, 4, 5, 5, 6}, tr.labels());
        for (int i = 0; i < 10; i++) {
            assertEquals(TestFiles.pixel(i, 0) / 255f, tr.get(i, 0));
            assertEquals(TestFiles.pixel(i, 1024 + 33) / 255f, tr.get(i, tr.featureNames().indexOf("ch1-r01-c01")));
            assertEquals(TestFiles.pixel(i, 3071) / 255f, tr.get(i, 3071));
        }
        DenseDataset te = c10(dir, Split.TEST, -1).dense();
        assertEquals(3, te.size());
        assertArrayEquals(new int[]{7, 8, 9}, te.labels());
        ImageDataSourceProvenance p = (ImageDataSourceProvenance) tr.provenance();
        assertNotNull(p.sha256("data_batch_5"));
    }

    @Test
    void limitSpansFilesAndSubdirectoryIsFound() throws IOException {
        cifar10(dir.resolve("cifar-10-batches-bin"));
        DenseDataset tr = c10(dir, Split.TRAIN, 5).dense();
        assertEquals(5, tr.size());
        assertEquals(TestFiles.pixel(4, 10) / 255f, tr.get(4, 10));
        DenseDataset spec = DataSpec.load("cifar10:" + dir, "train", 3);
        assertEquals(3, spec.size());
    }

    @Test
    void cifar100FineAndCoarse() throws IOException {
        Files.write(dir.resolve("train.bin"), TestFiles.cifar(0, 4, 19, 98));
        Files.write(dir.resolve("test.bin"), TestFiles.cifar(0, 2, 3, 40));
        DenseDataset fine = DataSpec.load("cifar100:" + dir, "train", -1);
        assertEquals(100, fine.numClasses());
        assertArrayEquals(new int[]{98, 99, 0, 1}, fine.labels());
        DenseDataset coarse = DataSpec.load("cifar100-coarse:" + dir, "train", -1);
        assertEquals(20, coarse.numClasses());
        assertArrayEquals(new int[]{19, 0, 1, 2}, coarse.labels());
        assertEquals(TestFiles.pixel(3, 77) / 255f, fine.get(3, 77));
        assertEquals(2, DataSpec.load("cifar100:" + dir, "test", -1).size());
    }

    @Test
    void truncated() throws IOException {
        cifar10(dir);
        Path f = dir.resolve("data_batch_3.bin");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 100));
        DataFormatException e = assertThrows(DataFormatException.class, () -> c10(dir, Split.TRAIN, -1));
        assertEquals(f.toAbsolutePath(), e.file().toAbsolutePath());
        assertTrue(e.problem().contains("truncated"), e.getMessage());
    }

    @Test
    void cifar100FileReadAsCifar10IsRejected() throws IOException {
        Files.write(dir.resolve("test_batch.bin"), TestFiles.cifar(0, 2, 3, 40));
        DataFormatException e = assertThrows(DataFormatException.class, () -> c10(dir, Split.TEST, -1));
        assertTrue(e.problem().contains("not a positive multiple of the 3073-byte"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        cifar10(dir);
        Path f = dir.resolve("test_batch.bin");
        byte[] b = Files.readAllBytes(f);
        b[3073] = 10;
        Files.write(f, b);
        DataFormatException e = assertThrows(DataFormatException.class, () -> c10(dir, Split.TEST, -1));
        assertEquals(f.toAbsolutePath(), e.file());
        assertTrue(e.problem().contains("label 10 of record 1 is out of range [0, 10)"), e.getMessage());
        byte[] c100 = TestFiles.cifar(0, 2, 3, 1);
        c100[0] = 25;
        Files.write(dir.resolve("train.bin"), c100);
        e = assertThrows(DataFormatException.class, () -> DataSpec.load("cifar100:" + dir, "train", -1));
        assertTrue(e.problem().contains("coarse label 25"), e.getMessage());
    }

    @Test
    void missingDirectoryAndFile() throws IOException {
        DataFormatException e = assertThrows(DataFormatException.class, () -> c10(dir.resolve("absent"), Split.TRAIN, -1));
        assertTrue(e.problem().contains("directory does not exist"), e.getMessage());
        cifar10(dir);
        Files.delete(dir.resolve("data_batch_4.bin"));
        e = assertThrows(DataFormatException.class, () -> c10(dir, Split.TRAIN, -1));
        assertEquals(dir.resolve("data_batch_4.bin"), e.file());
        assertTrue(e.problem().contains("does not exist"), e.getMessage());
    }
}
