package org.widerobust.plugin.model;

import java.util.Arrays;

/** Small helpers for example shapes in messages and checks. */
final class Shapes {
    private Shapes() {}

    static long length(long[] shape) {
        long l = 1;
        for (long d : shape) {
            l *= d;
        }
        return l;
    }

    static String text(long[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * Checks that a model taking examples of {@code modelShape} can run on data of {@code dataShape}: equal shapes,
     * or a flat model input of the same length (the values are the same in C order).
     *
     * @throws ModelLoadException naming both shapes
     */
    static void checkCompatible(String model, long[] modelShape, long[] dataShape) {
        if (Arrays.equals(modelShape, dataShape)) {
            return;
        }
        boolean flatMatch = (modelShape.length == 1 || dataShape.length == 1)
                && length(modelShape) == length(dataShape);
        if (!flatMatch) {
            throw new ModelLoadException("shape mismatch: model " + model + " expects examples of shape "
                    + text(modelShape) + " but the data has examples of shape " + text(dataShape));
        }
    }
}
