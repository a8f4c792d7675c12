package org.widerobust.adapters.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AugmentationTest {
    private static float[] ramp(int n, int len) {
        float[] b = new float[n * len];
        for (int i = 0; i < b.length; i++) b[i] = 1 + (i % len);
        return b;
    }

    @Test
    void shiftZeroFillAndFlip() {
        Augmentation a = new Augmentation(1, 3, 3, 1, true);
        float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        a.transform(img, 0, new float[9], 1, 0, false);
        assertArrayEquals(new float[]{4, 5, 6, 7, 8, 9, 0, 0, 0}, img);
        img = new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9};
        a.transform(img, 0, new float[9], 0, -1, false);
        assertArrayEquals(new float[]{0, 1, 2, 0, 4, 5, 0, 7, 8}, img);
        img = new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9};
        a.transform(img, 0, new float[9], 0, 0, true);
        assertArrayEquals(new float[]{3, 2, 1, 6, 5, 4, 9, 8, 7}, img);
    }

    @Test
    void seededAndVaried() {
        Augmentation a = Augmentation.cifarStandard(new long[]{3, 8, 8});
        float[] x = ramp(16, 192), y = ramp(16, 192), z = ramp(16, 192);
        a.apply(x, 16, 99);
        a.apply(y, 16, 99);
        a.apply(z, 16, 100);
        assertArrayEquals(x, y);
        assertFalse(java.util.Arrays.equals(x, z));
        // not all examples get the same transformation
        boolean differ = false;
        for (int i = 1; i < 16 && !differ; i++) {
            for (int j = 0; j < 192; j++) {
                if (x[j] != x[i * 192 + j]) { differ = true; break; }
            }
        }
        assertTrue(differ);
        // values only come from the image or zero padding
        for (float v : x) assertTrue(v == 0 || (v >= 1 && v <= 192));
    }

    @Test
    void noPaddingNoFlipIsIdentity() {
        float[] x = ramp(4, 12), y = x.clone();
        new Augmentation(1, 3, 4, 0, false).apply(x, 4, 1);
        assertArrayEquals(y, x);
    }
}
