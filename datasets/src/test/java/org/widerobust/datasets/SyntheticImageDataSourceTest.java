package org.widerobust.datasets;

import org.junit.jupiter.api.Test;
import org.widerobust.adapters.data.DenseDataset;

import static org.junit.jupiter.api.Assertions.*;

class SyntheticImageDataSourceTest {
    @Test
    void deterministicBalancedAndPrefixStable() {
        DenseDataset a = new SyntheticImageDataSource(500, Split.TRAIN, 42).dense();
        DenseDataset b = new SyntheticImageDataSource(500, Split.TRAIN, 42).dense();
        assertArrayEquals(a.data(), b.data());
        assertArrayEquals(new long[]{1, 28, 28}, a.exampleShape());
        int[] counts = a.classCounts();
        for (int c : counts) assertEquals(50, c);
        DenseDataset prefix = a.first(20);
        DenseDataset limited = DataSpec.load("synthetic:500", "train", 20);
        assertArrayEquals(prefix.data(), limited.data());
        DenseDataset test = new SyntheticImageDataSource(500, Split.TEST, 42).dense();
        assertNotEquals(a.get(0, 400), test.get(0, 400));
        DenseDataset other = new SyntheticImageDataSource(500, Split.TRAIN, 43).dense();
        assertNotEquals(a.get(0, 400), other.get(0, 400));
        for (float v : a.data()) assertTrue(v >= 0 && v <= 1);
    }

    /** Nearest class mean (fit on train, scored on test) should work well but not perfectly. */
    @Test
    void separableButNotTrivially() {
        DenseDataset tr = new SyntheticImageDataSource(2000, Split.TRAIN, 42).dense();
        DenseDataset te = new SyntheticImageDataSource(1000, Split.TEST, 42).dense();
        int k = tr.numClasses(), len = tr.exampleLength();
        double[][] mean = new double[k][len];
        int[] counts = tr.classCounts();
        for (int i = 0; i < tr.size(); i++) for (int j = 0; j < len; j++) mean[tr.label(i)][j] += tr.get(i, j) / counts[tr.label(i)];
        int correct = 0;
        for (int i = 0; i < te.size(); i++) {
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int c = 0; c < k; c++) {
                double d = 0;
                for (int j = 0; j < len; j++) { double t = te.get(i, j) - mean[c][j]; d += t * t; }
                if (d < bestD) { bestD = d; best = c; }
            }
            if (best == te.label(i)) correct++;
        }
        double acc = correct / (double) te.size();
        System.out.println("synthetic nearest-mean accuracy " + acc);
        assertTrue(acc > 0.6 && acc < 0.995, "accuracy " + acc);
    }

    @Test
    void colourShape() {
        DenseDataset d = new SyntheticImageDataSource(30, Split.TRAIN, -1, 7, 5, 3, 32, 32).dense();
        assertArrayEquals(new long[]{3, 32, 32}, d.exampleShape());
        assertEquals(5, d.numClasses());
        assertEquals(30, d.size());
    }
}
