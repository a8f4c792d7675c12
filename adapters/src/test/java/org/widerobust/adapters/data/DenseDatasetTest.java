package org.widerobust.adapters.data;

import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class DenseDatasetTest {
    /** 20 examples of [1, 2, 3], value = example*100 + feature, label = i % 4 (classes a..d). */
    static DenseDataset sample() {
        int n = 20, len = 6;
        float[] d = new float[n * len];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
            for (int j = 0; j < len; j++) d[i * len + j] = i * 100 + j;
        }
        return DenseDataset.ofImages(d, 1, 2, 3, labels, List.of("a", "b", "c", "d"), null, "sample");
    }

    @Test
    void basics() {
        DenseDataset ds = sample();
        assertEquals(20, ds.size());
        assertEquals(6, ds.exampleLength());
        assertArrayEquals(new long[]{1, 2, 3}, ds.exampleShape());
        assertArrayEquals(new long[]{8, 1, 2, 3}, ds.batchShape(8));
        assertEquals(4, ds.numClasses());
        assertEquals("c", ds.labelName(2));
        assertEquals(3, ds.labelIndex("d"));
        assertEquals(-1, ds.labelIndex("zz"));
        assertEquals(503f, ds.get(5, 3));
        assertArrayEquals(new int[]{5, 5, 5, 5}, ds.classCounts());
        assertEquals("ch0-r1-c2", ds.featureNames().get(5));
    }

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> DenseDataset.ofImages(new float[5], 1, 2, 3, new int[1], List.of("a"), null, ""));
        assertThrows(IllegalArgumentException.class, () -> DenseDataset.ofImages(new float[6], 1, 2, 3, new int[]{1}, List.of("a"), null, ""));
        assertThrows(IllegalArgumentException.class, () -> DenseDataset.ofImages(new float[6], 1, 2, 3, new int[]{0}, List.of("a", "a"), null, ""));
    }

    @Test
    void copyBatches() {
        DenseDataset ds = sample();
        float[] dst = new float[12];
        ds.copyBatch(3, 5, dst);
        assertEquals(300f, dst[0]);
        assertEquals(405f, dst[11]);
        ds.copyBatch(new int[]{7, 1}, dst);
        assertEquals(700f, dst[0]);
        assertEquals(105f, dst[11]);
        FloatBuffer fb = ByteBuffer.allocateDirect(4 * 18).order(ByteOrder.nativeOrder()).asFloatBuffer();
        ds.copyBatch(0, 1, fb);
        ds.copyBatch(new int[]{19, 2}, fb);
        assertEquals(18, fb.position());
        assertEquals(1900f, fb.get(6));
        assertEquals(205f, fb.get(17));
        assertArrayEquals(new int[]{3, 1}, ds.labels(new int[]{19, 5}));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.copyBatch(19, 21, new float[12]));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.copyBatch(new int[]{20}, new float[6]));
    }

    @Test
    void subsetsAreDeterministic() {
        DenseDataset ds = sample();
        DenseDataset f = ds.first(3);
        assertEquals(3, f.size());
        assertEquals(205f, f.get(2, 5));
        assertEquals("sample, first(3)", f.description());
        assertEquals(20, ds.first(100).size());

        DenseDataset r1 = ds.randomSubset(7, 11), r2 = ds.randomSubset(7, 11), r3 = ds.randomSubset(7, 12);
        assertArrayEquals(r1.data(), r2.data());
        assertFalse(Arrays.equals(r1.data(), r3.data()));
        Set<Float> firsts = new HashSet<>();
        for (int i = 0; i < 7; i++) firsts.add(r1.get(i, 0));
        assertEquals(7, firsts.size());

        DenseDataset b = ds.classBalanced(8, 3);
        assertArrayEquals(new int[]{2, 2, 2, 2}, b.classCounts());
        assertArrayEquals(b.data(), ds.classBalanced(8, 3).data());
        assertArrayEquals(new int[]{3, 2, 2, 2}, ds.classBalanced(9, 3).classCounts());
    }

    @Test
    void shuffleAndBatches() {
        DenseDataset ds = sample();
        int[] o = ds.shuffledOrder(5);
        assertArrayEquals(o, ds.shuffledOrder(5));
        int[] sorted = o.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 20; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(o, ds.shuffledOrder(6)));
        List<int[]> batches = ds.epochBatches(6, 5, false);
        assertEquals(4, batches.size());
        assertEquals(2, batches.get(3).length);
        assertEquals(3, ds.epochBatches(6, 5, true).size());
        assertArrayEquals(new int[]{18, 19}, ds.sequentialBatches(6).get(3));
    }

    @Test
    void tribuoExamplesAndOutputInfo() {
        DenseDataset ds = sample();
        Example<Label> e = ds.example(2);
        assertEquals("c", e.getOutput().getLabel());
        assertEquals(6, e.size());
        Feature first = e.iterator().next();
        assertEquals("ch0-r0-c0", first.getName());
        assertEquals(200.0, first.getValue());
        ImmutableOutputInfo<Label> info = ds.outputInfo();
        for (int k = 0; k < 4; k++) assertEquals(k, info.getID(new Label(ds.labelName(k))));
        MutableDataset<Label> t = ds.toDataset();
        assertEquals(20, t.size());
        assertEquals(6, t.getFeatureMap().size());
        DenseDataset back = new ExampleTensorMapper(ds.featureNames(), null, ds.labelNames(), ExampleTensorMapper.UnknownFeatures.FAIL).toDense(t);
        assertArrayEquals(ds.data(), back.data());
        assertArrayEquals(ds.labels(), back.labels());
        assertArrayEquals(ds.exampleShape(), back.exampleShape());
        assertEquals(20, ds.toExamples().size());
    }

    @Test
    void withData() {
        DenseDataset ds = sample();
        float[] adv = new float[ds.data().length];
        DenseDataset a = ds.withData(adv, "adversarial");
        assertEquals(0f, a.get(3, 3));
        assertEquals(ds.label(3), a.label(3));
        assertEquals("sample, adversarial", a.description());
    }
}
