package org.widerobust.datasets;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.widerobust.adapters.data.DenseDataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real Fashion-MNIST from Debian's dataset-fashion-mnist package (installed by .ci/run). */
class FashionMnistTest {
    private static DenseDataset train;

    @BeforeAll
    static void load() {
        assumeTrue(Files.isDirectory(Path.of(DataSpec.FASHION_MNIST_DIR)), "dataset-fashion-mnist not installed");
        train = DataSpec.load("fashion-mnist", "train", -1);
    }

    private static float px(DenseDataset d, int i, int r, int c) {
        return d.get(i, r * 28 + c);
    }

    @Test
    void trainSplit() {
        assertEquals(60000, train.size());
        assertArrayEquals(new long[]{1, 28, 28}, train.exampleShape());
        assertEquals(60000L * 784, train.data().length);
        assertEquals(10, train.numClasses());
        assertArrayEquals(new int[]{6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, train.classCounts());
        assertArrayEquals(new int[]{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, train.labels(0, 10));
        assertEquals(217 / 255f, px(train, 0, 14, 14));
        assertEquals(205 / 255f, px(train, 0, 20, 5));
        assertEquals(0f, px(train, 0, 0, 0));
        assertEquals(252 / 255f, px(train, 1, 10, 10));
        assertEquals(0f, px(train, 59999, 14, 14));
        double sum = 0;
        for (int j = 0; j < 784; j++) sum += train.get(0, j);
        assertEquals(76247 / 255.0, sum, 1e-3);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : train.data()) { min = Math.min(min, v); max = Math.max(max, v); }
        assertEquals(0f, min);
        assertEquals(1f, max);
        assertEquals("ch0-r14-c14", train.featureNames().get(14 * 28 + 14));
        ImageDataSourceProvenance p = (ImageDataSourceProvenance) train.provenance();
        assertEquals("B0564C3EEDABFBF835052CFF8503EA422014CE006CAF5B757F851416EE8300C7", p.sha256("images"));
        assertEquals(60000, p.numExamples());
    }

    @Test
    void testSplitWithLimit() {
        AbstractImageDataSource src = DataSpec.parse("fashion-mnist", "test", 25).createSource();
        DenseDataset t = src.dense();
        assertEquals(25, t.size());
        assertArrayEquals(new int[]{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, t.labels(0, 10));
        assertEquals(110 / 255f, px(t, 0, 14, 14));
        assertEquals(184 / 255f, px(t, 0, 20, 5));
        // Tribuo iteration: every pixel is a feature, zeros included
        Iterator<Example<Label>> it = src.iterator();
        Example<Label> e = it.next();
        assertEquals("9", e.getOutput().getLabel());
        assertEquals(784, e.size());
        assertEquals(110 / 255.0, e.lookup("ch0-r14-c14").getValue(), 1e-6);
        assertEquals(0.0, e.lookup("ch0-r00-c00").getValue());
    }

    @Test
    void fullTestSplitHistogram() {
        DenseDataset t = DataSpec.load("fashion-mnist", "test", -1);
        assertEquals(10000, t.size());
        assertArrayEquals(new int[]{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, t.classCounts());
        assertEquals(132 / 255f, px(t, 9999, 14, 14));
    }
}
