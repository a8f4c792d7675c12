package org.widerobust.descriptors.network;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A parameter initialiser. Every parameter tensor draws from its own {@link SplittableRandom}, seeded from the
 * network seed and the parameter's name ({@link #random}), so a parameter's values depend only on (seed, name,
 * shape, initialiser): not on build order, on {@link NetworkDescriptor.Mode}, or on the platform. Gaussian draws use
 * Box-Muller with {@link StrictMath}, not the JDK's version-dependent {@code nextGaussian}.
 */
@FunctionalInterface
interface Init {

    /** Draws {@code n} values. */
    float[] sample(int n, SplittableRandom random);

    /** U(-bound, bound). */
    static Init uniform(double bound) {
        return (n, random) -> {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
            return out;
        };
    }

    /** N(0, std²). */
    static Init normal(double std) {
        return (n, random) -> {
            float[] out = new float[n];
            for (int i = 0; i < n; i += 2) {
                double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble()));
                double angle = 2 * StrictMath.PI * random.nextDouble();
                out[i] = (float) (std * radius * StrictMath.cos(angle));
                if (i + 1 < n) {
                    out[i + 1] = (float) (std * radius * StrictMath.sin(angle));
                }
            }
            return out;
        };
    }

    static Init constant(float value) {
        return (n, random) -> {
            float[] out = new float[n];
            Arrays.fill(out, value);
            return out;
        };
    }

    /**
     * PyTorch's default for {@code nn.Linear} and {@code nn.Conv2d} weights and biases:
     * {@code kaiming_uniform_(a=sqrt(5))} gives U(-b, b) with b = sqrt(6 / ((1 + 5) fan_in)) = 1 / sqrt(fan_in),
     * and the bias default is the same interval.
     */
    static Init pytorchDefault(long fanIn) {
        return uniform(1 / Math.sqrt(fanIn));
    }

    /** The generator of one parameter: a 64-bit FNV-1a hash of its UTF-8 name mixed with the network seed. */
    static SplittableRandom random(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        long z = seed * 0x9E3779B97F4A7C15L + h;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }
}
