package org.widerobust.datasets;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DataSpecTest {
    @Test
    void parsesAllForms() {
        DataSpec f = DataSpec.parse("fashion-mnist");
        assertEquals(DataSpec.Kind.FASHION_MNIST, f.kind());
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), f.directory());
        assertEquals(Split.TRAIN, f.split());
        assertEquals(-1, f.limit());
        assertEquals(Path.of("/data/mnist"), DataSpec.parse("idx:/data/mnist").directory());
        assertEquals(DataSpec.Kind.CIFAR10, DataSpec.parse("CIFAR10:/x").kind());
        assertEquals(DataSpec.Kind.CIFAR100, DataSpec.parse("cifar100:/x").kind());
        assertEquals(DataSpec.Kind.CIFAR100_COARSE, DataSpec.parse("cifar100-coarse:/x").kind());
        assertEquals(1000, DataSpec.parse("synthetic").syntheticSize());
        assertEquals(64, DataSpec.parse("synthetic:64").syntheticSize());
        assertEquals(Path.of("C:/odd:name"), DataSpec.parse("idx:C:/odd:name").directory());
        DataSpec s = DataSpec.parse("synthetic:64", "test", 10);
        assertEquals(Split.TEST, s.split());
        assertEquals(10, s.limit());
        assertEquals("synthetic:64 --split test --limit 10", s.toString());
        assertEquals(s, DataSpec.parse("synthetic:64").withSplit(Split.TEST).withLimit(10));
    }

    @Test
    void rejectsBadSpecs() {
        for (String bad : new String[]{"", "mnist", "idx", "idx:", "cifar10", "synthetic:abc", "synthetic:0", "synthetic:-3", "fashion-mnist:/x", "csv:/x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSpec.parse(bad), bad);
            assertFalse(e.getMessage().isEmpty());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("mnist")).getMessage().contains("fashion-mnist, idx:DIR"));
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("synthetic", "validation", -1));
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("synthetic", "train", 0));
        assertThrows(IllegalArgumentException.class, () -> DataSpec.parse("synthetic").withLimit(-5));
    }

    @Test
    void loadsSynthetic() {
        var d = DataSpec.load("synthetic:40", "test", 15);
        assertEquals(15, d.size());
        assertEquals(10, d.numClasses());
        assertTrue(d.description().startsWith("synthetic:40 test"), d.description());
    }

    @Test
    void missingDirectoryNamesIt() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataSpec.load("idx:/no/such/dir", "train", -1));
        assertEquals(Path.of("/no/such/dir"), e.file());
        assertTrue(e.getMessage().contains("/no/such/dir: directory does not exist"), e.getMessage());
    }
}
