package org.widerobust.datasets;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded synthetic image classification problem, for tests and for trying the tool without any download.
 * <p>
 * Each class has a prototype image made of a few random Gaussian blobs per channel (drawn from {@code seed}, shared
 * by both splits). Example {@code i} has label {@code i % numClasses} (so every prefix is nearly balanced) and is
 * {@code a * shift(prototype[label]) + b * prototype[other] + noise}, clipped to [0, 1], with a random amplitude
 * {@code a} in [0.6, 1], a random shift of up to 2 pixels, a distractor from another class with weight {@code b} in
 * [0, 0.45], and Gaussian pixel noise of standard deviation {@code noise}. Linear models separate the classes well
 * but not perfectly; small networks do better. Example {@code i} depends only on ({@code seed}, split, {@code i}), so
 * a limit takes a prefix of the same sequence. With {@code RAW} scaling the values are multiplied by 255.
 */
public final class SyntheticImageDataSource extends AbstractImageDataSource {

    /** Default number of examples per split. */
    public static final int DEFAULT_SIZE = 1000;

    @Config(description = "Number of examples in the split.")
    private int size = DEFAULT_SIZE;

    @Config(description = "Number of classes.")
    private int numClasses = 10;

    @Config(description = "Channels.")
    private int channels = 1;

    @Config(description = "Image height.")
    private int height = 28;

    @Config(description = "Image width.")
    private int width = 28;

    @Config(description = "Standard deviation of the pixel noise.")
    private double noise = 0.2;

    @Config(description = "Random seed.")
    private long seed = 42L;

    /** For OLCUT. */
    private SyntheticImageDataSource() {}

    /**
     * A grey 28x28, 10-class problem.
     * @param size number of examples.
     * @param split the split (train and test are different samples from the same distribution).
     * @param seed the seed.
     */
    public SyntheticImageDataSource(int size, Split split, long seed) {
        this(size, split, ALL, seed, 10, 1, 28, 28);
    }

    /**
     * Full control.
     * @param size number of examples.
     * @param split the split.
     * @param limit first N examples, or {@link #ALL}.
     * @param seed the seed.
     * @param numClasses number of classes.
     * @param channels C.
     * @param height H.
     * @param width W.
     */
    public SyntheticImageDataSource(int size, Split split, int limit, long seed, int numClasses, int channels, int height, int width) {
        this.size = size;
        this.split = split;
        this.limit = limit;
        this.seed = seed;
        this.numClasses = numClasses;
        this.channels = channels;
        this.height = height;
        this.width = width;
        postConfig();
    }

    @Override
    protected void validate() {
        if (size < 1) throw new PropertyException("", "size", "size must be positive, got " + size);
        if (numClasses < 2 || numClasses > 1000) throw new PropertyException("", "numClasses", "numClasses must be in 2..1000, got " + numClasses);
        if (channels < 1 || height < 4 || width < 4) throw new PropertyException("", "height", "need channels >= 1 and images of at least 4x4");
        if (!(noise >= 0)) throw new PropertyException("", "noise", "noise must be non-negative");
    }

    @Override
    protected String describeSource() {
        return "synthetic:" + size;
    }

    @Override
    protected Loaded load(int maxExamples) {
        int m = Math.min(size, maxExamples);
        int plane = height * width, len = channels * plane;
        float[][] protos = prototypes();
        float[] data = new float[Math.multiplyExact(m, len)];
        int[] labels = new int[m];
        float scale = scaling == PixelScaling.UNIT ? 1f : 255f;
        long splitSalt = split == Split.TRAIN ? 0x5DEECE66DL : 0x9E3779B97F4A7C15L;
        for (int i = 0; i < m; i++) {
            SplittableRandom rng = new SplittableRandom(seed * 0x100000001B3L ^ splitSalt ^ (i * 0xC2B2AE3D27D4EB4FL));
            int label = i % numClasses;
            int other = (label + 1 + rng.nextInt(numClasses - 1)) % numClasses;
            double a = 0.6 + 0.4 * rng.nextDouble();
            double b = 0.45 * rng.nextDouble();
            int dy = rng.nextInt(-2, 3), dx = rng.nextInt(-2, 3);
            float[] p = protos[label], q = protos[other];
            int off = i * len;
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < height; r++) {
                    for (int x = 0; x < width; x++) {
                        int sr = r - dy, sx = x - dx;
                        double v = (sr >= 0 && sr < height && sx >= 0 && sx < width) ? a * p[c * plane + sr * width + sx] : 0;
                        v += b * q[c * plane + r * width + x] + noise * rng.nextGaussian();
                        data[off + c * plane + r * width + x] = (float) Math.min(1, Math.max(0, v)) * scale;
                    }
                }
            }
            labels[i] = label;
        }
        return new Loaded(data, labels, channels, height, width, numClasses, List.of());
    }

    private float[][] prototypes() {
        SplittableRandom rng = new SplittableRandom(seed);
        int plane = height * width;
        float[][] protos = new float[numClasses][channels * plane];
        for (int k = 0; k < numClasses; k++) {
            for (int c = 0; c < channels; c++) {
                for (int blob = 0; blob < 3; blob++) {
                    double cy = height * (0.2 + 0.6 * rng.nextDouble());
                    double cx = width * (0.2 + 0.6 * rng.nextDouble());
                    double s = Math.min(height, width) * (0.08 + 0.1 * rng.nextDouble());
                    double amp = 0.5 + 0.5 * rng.nextDouble();
                    for (int r = 0; r < height; r++) {
                        for (int x = 0; x < width; x++) {
                            double d2 = ((r - cy) * (r - cy) + (x - cx) * (x - cx)) / (2 * s * s);
                            protos[k][c * plane + r * width + x] += (float) (amp * Math.exp(-d2));
                        }
                    }
                }
                for (int i = c * plane; i < (c + 1) * plane; i++) protos[k][i] = Math.min(1f, protos[k][i]);
            }
        }
        return protos;
    }
}
