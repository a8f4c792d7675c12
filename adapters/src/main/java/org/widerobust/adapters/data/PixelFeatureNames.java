package org.widerobust.adapters.data;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The naming rule for pixel features, in one place.
 * <p>
 * The pixel at channel {@code c}, row {@code r} and column {@code x} of an image of shape {@code [C, H, W]} is named
 * {@code "ch" + c + "-r" + r + "-c" + x}, where each index is left-padded with zeros to the number of decimal digits
 * of the largest index in that dimension ({@code C-1}, {@code H-1}, {@code W-1}; at least one digit). For example a
 * 28x28 grey image has names {@code ch0-r00-c00 ... ch0-r27-c27}, a 32x32 colour image {@code ch0-r00-c00 ...
 * ch2-r31-c31}.
 * <p>
 * Because the widths are fixed per dimension, the lexicographic order of the names equals the C-order (channel, row,
 * column) index order. Tribuo's {@code ImmutableFeatureMap} numbers features in sorted name order, so the Tribuo
 * feature id of a pixel equals its flat index in the {@code [C, H, W]} tensor, and the shape is recoverable from the
 * names alone ({@link #parseShape(List)}).
 * <p>
 * Flat (non-image) vectors of length {@code F} use {@link #flat(int)}: {@code "f" + i} padded to the digits of
 * {@code F-1}.
 */
public final class PixelFeatureNames {
    private static final Pattern PIXEL = Pattern.compile("ch(\\d+)-r(\\d+)-c(\\d+)");

    private PixelFeatureNames() {}

    /** Number of digits used for indices {@code 0..size-1}. */
    static int width(long size) {
        return Long.toString(Math.max(size - 1, 0)).length();
    }

    /**
     * All pixel names of a {@code [C, H, W]} image in C order.
     * @param channels C, at least 1.
     * @param height H, at least 1.
     * @param width W, at least 1.
     * @return {@code C*H*W} names, index {@code (c*H + r)*W + x} holding pixel (c, r, x).
     */
    public static String[] of(int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("Image dimensions must be positive, got [" + channels + ", " + height + ", " + width + "]");
        }
        String fc = "ch%0" + width(channels) + "d";
        String fr = "-r%0" + width(height) + "d";
        String fx = "-c%0" + width(width) + "d";
        String[] names = new String[channels * height * width];
        String[] cs = new String[channels];
        String[] rs = new String[height];
        String[] xs = new String[width];
        for (int c = 0; c < channels; c++) cs[c] = String.format(fc, c);
        for (int r = 0; r < height; r++) rs[r] = String.format(fr, r);
        for (int x = 0; x < width; x++) xs[x] = String.format(fx, x);
        int i = 0;
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < height; r++) {
                for (int x = 0; x < width; x++) {
                    names[i++] = cs[c] + rs[r] + xs[x];
                }
            }
        }
        return names;
    }

    /**
     * Pixel names for a shape given as {@code {C, H, W}}.
     * @param shape a three-element shape.
     * @return the names in C order.
     */
    public static String[] of(long[] shape) {
        if (shape.length != 3) {
            throw new IllegalArgumentException("Expected a [C, H, W] shape, got " + Arrays.toString(shape));
        }
        return of(Math.toIntExact(shape[0]), Math.toIntExact(shape[1]), Math.toIntExact(shape[2]));
    }

    /**
     * The name of one pixel.
     * @param channels C.
     * @param height H.
     * @param width W.
     * @param c channel index.
     * @param r row index.
     * @param x column index.
     * @return its feature name.
     */
    public static String name(int channels, int height, int width, int c, int r, int x) {
        if (c < 0 || c >= channels || r < 0 || r >= height || x < 0 || x >= width) {
            throw new IndexOutOfBoundsException("Pixel (" + c + ", " + r + ", " + x + ") outside [" + channels + ", " + height + ", " + width + "]");
        }
        return String.format("ch%0" + width(channels) + "d-r%0" + width(height) + "d-c%0" + width(width) + "d", c, r, x);
    }

    /**
     * Parses a pixel name.
     * @param name a name made by this class.
     * @return {@code {c, r, x}}.
     * @throws IllegalArgumentException if the name does not follow the rule.
     */
    public static int[] parse(String name) {
        Matcher m = PIXEL.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a pixel feature name (expected chC-rR-cX): '" + name + "'");
        }
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    /**
     * Recovers {@code {C, H, W}} from a complete list of pixel names in C order.
     * @param names the feature names.
     * @return the shape.
     * @throws IllegalArgumentException unless {@code names} is exactly {@code of(C, H, W)} for some shape.
     */
    public static long[] parseShape(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("No feature names");
        }
        int[] last = parse(names.get(names.size() - 1));
        int c = last[0] + 1, h = last[1] + 1, w = last[2] + 1;
        if ((long) c * h * w != names.size() || !Arrays.asList(of(c, h, w)).equals(names)) {
            throw new IllegalArgumentException("Feature names are not the complete C-order pixel names of a [" + c + ", " + h + ", " + w + "] image");
        }
        return new long[]{c, h, w};
    }

    /**
     * Whether the names are the complete pixel names of some image shape.
     * @param names feature names.
     * @return true if {@link #parseShape(List)} would succeed.
     */
    public static boolean isPixelNames(List<String> names) {
        try {
            parseShape(names);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Names for a flat vector of length {@code n}: {@code f0 ... f9} for 10, {@code f000 ... f783} for 784.
     * @param n the length.
     * @return the names, lexicographic order equal to index order.
     */
    public static String[] flat(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Length must be positive, got " + n);
        }
        String f = "f%0" + width(n) + "d";
        String[] names = new String[n];
        for (int i = 0; i < n; i++) names[i] = String.format(f, i);
        return names;
    }
}
