package org.widerobust.descriptors.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FiniteDifferenceTest {

    @Test
    void gradientOfPolynomial() {
        // f = x0^3 + 2 x0 x1 + x1^2 - 5 x2 ; grad = (3 x0^2 + 2 x1, 2 x0 + 2 x1, -5)
        double[] x = {1.5, -2, 0.25};
        double[] before = x.clone();
        double[] g = FiniteDifference.gradient(v -> v[0] * v[0] * v[0] + 2 * v[0] * v[1] + v[1] * v[1] - 5 * v[2],
                x, new int[]{0, 1, 2}, 1e-4);
        assertArrayEquals(new double[]{3 * 1.5 * 1.5 - 4, 3 - 4, -5}, g, 1e-7);
        assertArrayEquals(before, x, 0, "x is not modified");
        double[] some = FiniteDifference.gradient(v -> v[1] * v[1] * v[1], x, new int[]{1}, 1e-3);
        // central difference of a cubic is exact up to h^2 * f''' / 6 = 1e-6
        assertArrayEquals(new double[]{3 * 4 + 1e-6}, some, 1e-10);
        assertThrows(IllegalArgumentException.class, () -> FiniteDifference.gradient(v -> 0, x, new int[]{0}, 0));
    }
}
