package org.widerobust.datasets;

/** How 8-bit pixel values are turned into features. */
public enum PixelScaling {
    /** {@code value / 255}, giving [0, 1] (the default). */
    UNIT,
    /** The raw value 0..255 as a float. */
    RAW;

    /** @return the float for each byte value 0..255. */
    float[] table() {
        float[] t = new float[256];
        for (int i = 0; i < 256; i++) t[i] = this == UNIT ? i / 255f : i;
        return t;
    }
}
