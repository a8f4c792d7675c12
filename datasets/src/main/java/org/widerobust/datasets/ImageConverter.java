package org.widerobust.datasets;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.widerobust.adapters.data.PixelFeatureNames;

/**
 * Declares how the features of an image dataset from any Tribuo {@code DataSource} form an image tensor, as
 * {@code TensorFlowTrainer}'s {@code ImageConverter} does: the shape {@code [C, H, W]}, the order of the flat pixel
 * index ({@code hwc}: {@code (h·W + w)·C + c}, as Tribuo's {@code IDXDataSource} numbers the pixels of
 * {@code [N, H, W]} and {@code [N, H, W, C]} files; or {@code chw}: {@code c·H·W + h·W + w}) and the pixel scale
 * (raw values are divided by it, so images declare the input domain [0, 1]).
 * <p>
 * Feature names may be anything: an explicit list in flat-index order ({@link #featureNames}); or integers giving
 * the flat index, with any zero padding (Tribuo's {@code IDXDataSource} names them {@code 000}..{@code 783}); or
 * widerobust's pixel names ({@code ch0-r00-c00}), which carry their own position.
 * <p>
 * An OLCUT {@link Configurable}; {@link #postConfig()} validates the fields.
 */
public final class ImageConverter implements Configurable, Provenancable<ConfiguredObjectProvenance> {
    @Config(mandatory = true, description = "Channels C (>= 1).")
    private int channels;
    @Config(mandatory = true, description = "Height H in pixels (>= 1).")
    private int height;
    @Config(mandatory = true, description = "Width W in pixels (>= 1).")
    private int width;
    @Config(description = "Order of the flat pixel index: hwc (Tribuo's IDXDataSource, TensorFlow) or chw.")
    private String featureOrder = "hwc";
    @Config(description = "Raw pixel values are divided by this (> 0), e.g. 255 for bytes; 1 keeps them.")
    private double pixelScale = 255;
    @Config(description = "Optional explicit feature names in flat-index order (otherwise integer or pixel names).")
    private List<String> featureNames = new ArrayList<>();

    /** For OLCUT. */
    private ImageConverter() {}

    /**
     * @param channels     C
     * @param height       H
     * @param width        W
     * @param featureOrder {@code hwc} or {@code chw}
     * @param pixelScale   raw values are divided by it
     * @throws PropertyException naming the bad field
     */
    public ImageConverter(int channels, int height, int width, String featureOrder, double pixelScale) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.featureOrder = featureOrder;
        this.pixelScale = pixelScale;
        postConfig();
    }

    @Override
    public void postConfig() {
        positive("channels", channels);
        positive("height", height);
        positive("width", width);
        String o = featureOrder == null ? "" : featureOrder.trim().toLowerCase(Locale.ROOT);
        if (!o.equals("hwc") && !o.equals("chw")) {
            throw new PropertyException("", "featureOrder", "featureOrder must be hwc or chw, got '" + featureOrder
                    + "'");
        }
        featureOrder = o;
        if (!(pixelScale > 0) || Double.isInfinite(pixelScale)) {
            throw new PropertyException("", "pixelScale", "pixelScale must be positive and finite, got "
                    + pixelScale);
        }
        if (!featureNames.isEmpty() && featureNames.size() != size()) {
            throw new PropertyException("", "featureNames", featureNames.size() + " feature names for "
                    + channels + "x" + height + "x" + width + " = " + size() + " pixels");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new PropertyException("", name, name + " must be >= 1, got " + v);
        }
    }

    /** The example shape {@code [C, H, W]}. */
    public long[] shape() {
        return new long[] {channels, height, width};
    }

    /** Pixels per image. */
    public int size() {
        return channels * height * width;
    }

    /** The divisor of raw values, as configured (255 for 8-bit pixels). */
    public double pixelScale() {
        return pixelScale;
    }

    /** The factor applied to raw values: {@code 1 / pixelScale}. */
    public float scale() {
        return (float) (1.0 / pixelScale);
    }

    /**
     * The dataset's feature names in tensor order ({@code [C, H, W]}, C order).
     *
     * @param datasetFeatures the names the data uses
     * @throws IllegalArgumentException if the names do not describe a {@code C×H×W} image under this converter,
     *                                  naming the first name that does not fit, or if they end before half of the
     *                                  image's pixels (data of another shape: 784 pixels declared as 3×28×28)
     */
    public List<String> tensorFeatureNames(Collection<String> datasetFeatures) {
        int n = size();
        String[] byTensor = new String[n];
        Map<String, Integer> explicit = new HashMap<>();
        for (int i = 0; i < featureNames.size(); i++) {
            explicit.put(featureNames.get(i), i);
        }
        int highest = -1; // the highest flat index (numeric names) or tensor position (pixel names) in the data
        for (String name : datasetFeatures) {
            int p = tensorPosition(name, explicit);
            if (byTensor[p] != null) {
                throw new IllegalArgumentException("features '" + byTensor[p] + "' and '" + name + "' are the same "
                        + "pixel of a " + channels + "x" + height + "x" + width + " image");
            }
            byTensor[p] = name;
            highest = Math.max(highest, name.matches("\\d+") ? Integer.parseInt(name) : p);
        }
        // Tribuo drops features that are zero in every example, so some pixels may be absent; but data whose
        // features stop before half the image is an image of another shape (784 pixels declared as 3x28x28)
        if (explicit.isEmpty() && highest >= 0 && highest + 1 <= n / 2) {
            throw new IllegalArgumentException("the data's pixels end at index " + highest + ", but a " + channels
                    + "x" + height + "x" + width + " image has " + n + ": declare the data's own [C, H, W] (for "
                    + "example 1x28x28 for Fashion-MNIST's 784 pixels)");
        }
        List<String> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            if (byTensor[p] == null) {
                int c = p / (height * width);
                int h = p / width % height;
                int w = p % width;
                // absent everywhere (Tribuo drops zero features): name it as the data would
                byTensor[p] = featureNames.isEmpty() ? absentName(datasetFeatures, flatIndex(c, h, w))
                        : featureNames.get(flatIndex(c, h, w));
            }
            out.add(byTensor[p]);
        }
        return out;
    }

    private int tensorPosition(String name, Map<String, Integer> explicit) {
        int flat;
        if (!explicit.isEmpty()) {
            Integer i = explicit.get(name);
            if (i == null) {
                throw new IllegalArgumentException("feature '" + name + "' is not among the converter's "
                        + "featureNames");
            }
            flat = i;
        } else if (name.matches("\\d+")) {
            flat = Integer.parseInt(name);
        } else {
            int[] crw;
            try {
                crw = PixelFeatureNames.parse(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("feature '" + name + "' is neither a pixel index nor a pixel "
                        + "name; give the converter featureNames");
            }
            if (crw[0] >= channels || crw[1] >= height || crw[2] >= width) {
                throw new IllegalArgumentException("pixel '" + name + "' is outside a " + channels + "x" + height
                        + "x" + width + " image");
            }
            return (crw[0] * height + crw[1]) * width + crw[2];
        }
        if (flat < 0 || flat >= size()) {
            throw new IllegalArgumentException("feature '" + name + "' is pixel " + flat + ", but a " + channels
                    + "x" + height + "x" + width + " image has only pixels 0 to " + (size() - 1) + ": declare the "
                    + "data's own [C, H, W]");
        }
        int c;
        int h;
        int w;
        if (featureOrder.equals("hwc")) {
            c = flat % channels;
            w = flat / channels % width;
            h = flat / channels / width;
        } else {
            w = flat % width;
            h = flat / width % height;
            c = flat / width / height;
        }
        return (c * height + h) * width + w;
    }

    private int flatIndex(int c, int h, int w) {
        return featureOrder.equals("hwc") ? (h * width + w) * channels + c : (c * height + h) * width + w;
    }

    private String absentName(Collection<String> seen, int flat) {
        int digits = 0;
        for (String s : seen) {
            if (s.matches("\\d+")) {
                digits = s.length();
                break;
            }
        }
        return digits == 0 ? Integer.toString(flat) : String.format(Locale.ROOT, "%0" + digits + "d", flat);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "ImageConverter");
    }

    @Override
    public String toString() {
        return "ImageConverter(" + channels + "x" + height + "x" + width + ", " + featureOrder + ", /"
                + pixelScale + ")";
    }
}
