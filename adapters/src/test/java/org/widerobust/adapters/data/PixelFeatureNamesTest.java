package org.widerobust.adapters.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PixelFeatureNamesTest {
    @Test
    void greyImageNames() {
        String[] n = PixelFeatureNames.of(1, 28, 28);
        assertEquals(784, n.length);
        assertEquals("ch0-r00-c00", n[0]);
        assertEquals("ch0-r00-c27", n[27]);
        assertEquals("ch0-r01-c00", n[28]);
        assertEquals("ch0-r27-c27", n[783]);
        assertEquals(n[5 * 28 + 7], PixelFeatureNames.name(1, 28, 28, 0, 5, 7));
    }

    @Test
    void paddingFollowsDimensionSize() {
        assertEquals("ch2-r31-c31", PixelFeatureNames.of(3, 32, 32)[3 * 32 * 32 - 1]);
        assertEquals("ch00-r0-c99", PixelFeatureNames.name(11, 10, 100, 0, 0, 99));
        assertEquals("ch0-r0-c100", PixelFeatureNames.name(1, 1, 101, 0, 0, 100));
        assertEquals("f000", PixelFeatureNames.flat(784)[0]);
        assertEquals("f9", PixelFeatureNames.flat(10)[9]);
    }

    @Test
    void sortedOrderIsIndexOrder() {
        for (int[] s : new int[][]{{1, 28, 28}, {3, 32, 32}, {12, 3, 11}}) {
            String[] n = PixelFeatureNames.of(s[0], s[1], s[2]);
            String[] sorted = n.clone();
            Arrays.sort(sorted);
            assertArrayEquals(n, sorted);
        }
    }

    @Test
    void shapeRecoverable() {
        assertArrayEquals(new long[]{3, 32, 32}, PixelFeatureNames.parseShape(Arrays.asList(PixelFeatureNames.of(3, 32, 32))));
        assertArrayEquals(new int[]{2, 5, 17}, PixelFeatureNames.parse("ch2-r05-c17"));
        List<String> missing = new ArrayList<>(Arrays.asList(PixelFeatureNames.of(1, 4, 4)));
        missing.remove(3);
        assertFalse(PixelFeatureNames.isPixelNames(missing));
        assertThrows(IllegalArgumentException.class, () -> PixelFeatureNames.parse("pixel-3"));
        assertThrows(IllegalArgumentException.class, () -> PixelFeatureNames.of(0, 2, 2));
    }
}
