package org.widerobust.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.widerobust.adapters.data.PixelFeatureNames;

class ImageConverterTest {
    private static List<String> indices(int n, int digits) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.format("%0" + digits + "d", i));
        }
        return out;
    }

    @Test
    void hwcIndicesBecomeChwTensorOrder() {
        // 2 channels, 2x3 image, flat index (h*W + w)*C + c as in an [N, H, W, C] IDX file
        ImageConverter c = new ImageConverter(2, 2, 3, "hwc", 255);
        List<String> t = c.tensorFeatureNames(indices(12, 2));
        // tensor position (c, h, w) = (1, 0, 2) holds flat index (0*3 + 2)*2 + 1 = 5
        assertEquals("05", t.get((1 * 2 + 0) * 3 + 2));
        assertEquals("00", t.get(0));
        assertEquals("11", t.get(11));
        assertArrayEquals(new long[] {2, 2, 3}, c.shape());
        assertEquals(1 / 255f, c.scale());
    }

    @Test
    void chwIndicesAndPixelNamesKeepTheirOrder() {
        ImageConverter c = new ImageConverter(1, 28, 28, "chw", 1);
        assertEquals(indices(784, 3), c.tensorFeatureNames(indices(784, 3)));
        List<String> pixels = List.of(PixelFeatureNames.of(1, 28, 28));
        assertEquals(pixels, c.tensorFeatureNames(pixels));
    }

    @Test
    void pixelsThatNeverOccurAreNamedAsTheDataNamesThem() {
        ImageConverter c = new ImageConverter(1, 2, 2, "hwc", 255);
        assertEquals(List.of("000", "001", "002", "003"), c.tensorFeatureNames(List.of("001", "003")));
    }

    /** Data of another shape: Fashion-MNIST's 784 pixels declared as 3 channels, as indices or as pixel names. */
    @Test
    void dataThatFillsLessThanHalfTheDeclaredImageIsRefused() {
        IllegalArgumentException hwc = assertThrows(IllegalArgumentException.class,
                () -> new ImageConverter(3, 28, 28, "hwc", 255).tensorFeatureNames(indices(784, 3)));
        assertTrue(hwc.getMessage().contains("end at index 783, but a 3x28x28 image has 2352"), hwc.getMessage());
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                () -> new ImageConverter(3, 28, 28, "chw", 1).tensorFeatureNames(List.of(PixelFeatureNames.of(1, 28,
                        28))));
        assertTrue(names.getMessage().contains("declare the data's own [C, H, W]"), names.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> new ImageConverter(1, 14, 14, "hwc", 255).tensorFeatureNames(indices(784, 3)));
        assertTrue(small.getMessage().contains("has only pixels 0 to 195"), small.getMessage());
    }

    @Test
    void badConfigurationAndNamesAreClearErrors() {
        assertThrows(PropertyException.class, () -> new ImageConverter(0, 28, 28, "hwc", 255));
        assertThrows(PropertyException.class, () -> new ImageConverter(1, 28, 28, "whc", 255));
        assertThrows(PropertyException.class, () -> new ImageConverter(1, 28, 28, "hwc", 0));
        ImageConverter c = new ImageConverter(1, 2, 2, "hwc", 255);
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> c.tensorFeatureNames(List.of("7")));
        assertTrue(big.getMessage().contains("'7'"), big.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> c.tensorFeatureNames(List.of("height")));
        assertTrue(name.getMessage().contains("featureNames"), name.getMessage());
    }
}
