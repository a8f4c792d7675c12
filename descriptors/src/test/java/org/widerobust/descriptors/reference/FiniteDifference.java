package org.widerobust.descriptors.reference;

import java.util.function.ToDoubleFunction;

/** Central finite differences in double precision for a scalar function of a tensor's flattened data. */
public final class FiniteDifference {

    private FiniteDifference() {
    }

    /**
     * Returns {@code d f / d x[i]} for each {@code i} in {@code indices}, estimated as
     * {@code (f(x + h e_i) - f(x - h e_i)) / 2h}. {@code f} receives a working copy of {@code x} that is
     * perturbed in place and restored after each coordinate; {@code x} itself is not modified.
     */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x, int[] indices, double h) {
        if (!(h > 0)) {
            throw new IllegalArgumentException("step must be positive: " + h);
        }
        double[] w = x.clone();
        double[] g = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            double xi = w[i];
            w[i] = xi + h;
            double plus = f.applyAsDouble(w);
            w[i] = xi - h;
            double minus = f.applyAsDouble(w);
            w[i] = xi;
            g[k] = (plus - minus) / (2 * h);
        }
        return g;
    }

    /** The central-difference gradient with respect to every coordinate of {@code x}. */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double h) {
        int[] all = new int[x.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return gradient(f, x, all, h);
    }
}
