package org.widerobust.adapters.data;

import java.util.SplittableRandom;

/**
 * The standard CIFAR augmentation of adversarial-training papers: random crop of the image zero-padded by
 * {@code padding} pixels on each side (equivalently, a random shift in {@code [-padding, padding]} in each direction
 * with zeros shifted in), then a horizontal flip with probability 1/2. Works in place on a batch stored in a
 * {@code float[]} in {@code [N, C, H, W]} order. Deterministic given the seed: each example draws from a
 * {@link SplittableRandom} seeded with {@code seed} and split per example in order.
 * <p>
 * Typical use: the engine copies a mini-batch from a {@link DenseDataset} with {@code copyBatch}, then calls
 * {@code apply(batch, n, baseSeed * 1_000_003L + step)}.
 */
public final class Augmentation {
    private final int channels;
    private final int height;
    private final int width;
    private final int padding;
    private final boolean flip;

    /**
     * @param channels C.
     * @param height H.
     * @param width W.
     * @param padding zero padding for the random crop (4 for CIFAR); 0 disables cropping.
     * @param flip whether to apply random horizontal flips.
     */
    public Augmentation(int channels, int height, int width, int padding, boolean flip) {
        if (channels < 1 || height < 1 || width < 1 || padding < 0) {
            throw new IllegalArgumentException("Invalid augmentation geometry");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.flip = flip;
    }

    /**
     * The CIFAR recipe (4-pixel padding crop and horizontal flip) for a {@code [C, H, W]} shape.
     * @param exampleShape {@code {C, H, W}}.
     * @return the augmentation.
     */
    public static Augmentation cifarStandard(long[] exampleShape) {
        if (exampleShape.length != 3) throw new IllegalArgumentException("Augmentation needs [C, H, W] images");
        return new Augmentation((int) exampleShape[0], (int) exampleShape[1], (int) exampleShape[2], 4, true);
    }

    /**
     * Augments {@code n} consecutive examples of {@code batch} in place.
     * @param batch batch data, {@code [n, C, H, W]} from offset 0.
     * @param n number of examples.
     * @param seed the seed.
     */
    public void apply(float[] batch, int n, long seed) {
        int len = channels * height * width;
        if ((long) n * len > batch.length) {
            throw new IllegalArgumentException("Batch array too small for " + n + " examples");
        }
        float[] scratch = new float[len];
        SplittableRandom root = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            SplittableRandom rng = root.split();
            int dy = padding == 0 ? 0 : rng.nextInt(-padding, padding + 1);
            int dx = padding == 0 ? 0 : rng.nextInt(-padding, padding + 1);
            boolean mirror = flip && rng.nextBoolean();
            transform(batch, i * len, scratch, dy, dx, mirror);
        }
    }

    /**
     * Shifts one image by {@code (dy, dx)} with zero fill (output pixel (r, x) takes input (r+dy, x+dx)), then
     * mirrors it horizontally if asked. Exposed for tests and for callers that draw their own parameters.
     * @param data array holding the image.
     * @param offset start of the image.
     * @param scratch work space of at least {@code C*H*W}.
     * @param dy vertical shift.
     * @param dx horizontal shift.
     * @param mirror whether to flip horizontally.
     */
    public void transform(float[] data, int offset, float[] scratch, int dy, int dx, boolean mirror) {
        int plane = height * width;
        System.arraycopy(data, offset, scratch, 0, channels * plane);
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            int sbase = c * plane;
            for (int r = 0; r < height; r++) {
                int sr = r + dy;
                int rowOut = base + r * width;
                if (sr < 0 || sr >= height) {
                    java.util.Arrays.fill(data, rowOut, rowOut + width, 0f);
                    continue;
                }
                int rowIn = sbase + sr * width;
                for (int x = 0; x < width; x++) {
                    int ox = mirror ? width - 1 - x : x;
                    int sx = x + dx;
                    data[rowOut + ox] = (sx < 0 || sx >= width) ? 0f : scratch[rowIn + sx];
                }
            }
        }
    }
}
