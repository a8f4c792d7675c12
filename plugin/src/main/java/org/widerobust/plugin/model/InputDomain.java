package org.widerobust.plugin.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.plugin.attack.ThreatModelMath;

/**
 * Declared input domains: the set of valid inputs an attack may clip to, in the units of the network input.
 * A domain is a float array, {@code {lo, hi}} for one box around every feature (images: {@link #UNIT}) or
 * {@code 2F} values for per-feature bounds (the F lower bounds, then the F upper bounds, in tensor order);
 * infinite values mean unbounded ({@link #NONE}: no domain, attacks only stay in their ε-ball).
 */
public final class InputDomain {
    /** The unit box [0, 1] of image sources. */
    public static final float[] UNIT = {0f, 1f};
    /** No declared domain. */
    public static final float[] NONE = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};

    private InputDomain() {}

    /** Per-feature bounds taken from data: each feature's minimum and maximum over all examples. */
    public static float[] fromData(DenseDataset data) {
        int f = data.exampleLength();
        float[] d = new float[2 * f];
        Arrays.fill(d, 0, f, Float.POSITIVE_INFINITY);
        Arrays.fill(d, f, 2 * f, Float.NEGATIVE_INFINITY);
        float[] x = data.data();
        for (int i = 0; i < data.size(); i++) {
            for (int j = 0; j < f; j++) {
                float v = x[i * f + j];
                d[j] = Math.min(d[j], v);
                d[f + j] = Math.max(d[f + j], v);
            }
        }
        return d;
    }

    /**
     * Parses a configured domain: {@code unit} ([0, 1]), {@code none}, or {@code LO:HI} for one box.
     *
     * @throws IllegalArgumentException naming the text if it is none of these or LO &gt; HI
     */
    public static float[] parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("unit")) {
            return UNIT.clone();
        }
        if (t.equals("none")) {
            return NONE.clone();
        }
        String[] p = t.split(":");
        if (p.length == 2) {
            try {
                float lo = Float.parseFloat(p[0]);
                float hi = Float.parseFloat(p[1]);
                if (lo <= hi) {
                    return new float[] {lo, hi};
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("input domain '" + text + "' is not one of auto, data, unit, none or "
                + "LO:HI with LO <= HI");
    }

    /**
     * Checks that every value of the data lies in the domain.
     *
     * @param what a name for messages, e.g. {@code training data}
     * @throws IllegalArgumentException naming the first example (index) and feature (name) outside the domain
     */
    public static void check(DenseDataset data, float[] domain, String what) {
        int f = data.exampleLength();
        if (domain.length != 2 && domain.length != 2 * f) {
            throw new IllegalArgumentException("an input domain of " + domain.length + " values does not fit "
                    + "examples of " + f + " features");
        }
        float[] x = data.data();
        List<String> names = data.featureNames();
        for (int i = 0; i < data.size(); i++) {
            for (int j = 0; j < f; j++) {
                float v = x[i * f + j];
                float lo = ThreatModelMath.lower(domain, j);
                float hi = ThreatModelMath.upper(domain, j);
                if (!(v >= lo && v <= hi)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: example %d, feature '%s' = %s "
                            + "is outside the declared input domain [%s, %s]%s", what, i, names.get(j), v, lo, hi,
                            domain.length == 2 && lo == 0 && hi == 1 && v > 1
                                    ? " (raw 0-255 pixels? declare the pixel scale, e.g. with ImageConverter)" : ""));
                }
            }
        }
    }

    /**
     * A warning when a budget reaches across a bounded, uniform domain: with ε at least the box's diameter (its
     * width for L∞, width × √d for L2) the ε-ball holds every input, so every prediction can be changed and
     * robust accuracy means nothing. The usual cause is a budget in pixel units (8) on images scaled to [0, 1]
     * (8/255).
     *
     * @param subject       what uses the budget, for the message (e.g. {@code attack pgd-20}, {@code training})
     * @param eps           the budget, in input units
     * @param linf          L∞ (true) or L2 (false)
     * @param domain        the input domain
     * @param exampleLength d, the number of input values per example
     * @return the warning, or null when ε is below the diameter or the domain is unbounded or per feature
     */
    public static String coveringBudgetWarning(String subject, double eps, boolean linf, float[] domain,
                                               int exampleLength) {
        return coveringBudgetWarning(subject, eps, linf, domain, exampleLength, MEANINGLESS);
    }

    /**
     * As {@link #coveringBudgetWarning(String, double, boolean, float[], int)}, saying what the covering ball voids
     * (e.g. {@code the local Lipschitz estimate is not local}).
     */
    public static String coveringBudgetWarning(String subject, double eps, boolean linf, float[] domain,
                                               int exampleLength, String consequence) {
        if (!isUniform(domain) || Float.isInfinite(domain[0]) || Float.isInfinite(domain[1])) {
            return null; // per-feature or unbounded domains: no single diameter to compare with
        }
        double width = (double) domain[1] - domain[0];
        double diameter = linf ? width : width * Math.sqrt(exampleLength);
        if (!(diameter > 0) || eps < diameter) {
            return null;
        }
        String hint = linf && domain[0] == 0f && domain[1] == 1f ? "; budgets are in input units (8/255 = 0.0314 "
                + "for 8-bit images scaled to [0, 1])" : "";
        return String.format(java.util.Locale.ROOT, "%s: eps %.4g is at least the %s diameter %.4g of the input box "
                + "[%s, %s]; every point can be moved anywhere, so %s%s", subject, eps, linf ? "L-inf" : "L2",
                diameter, domain[0], domain[1], consequence, hint);
    }

    /** What a covering budget's warning says it voids, so that readers of an evaluation's warnings can find it. */
    public static final String MEANINGLESS = "robust accuracy is meaningless";

    /** Whether the domain is the same box for every feature. */
    public static boolean isUniform(float[] domain) {
        return domain.length == 2;
    }

    /** A short description, e.g. {@code [0.0, 1.0]}, {@code none} or {@code per-feature (784 features)}. */
    public static String describe(float[] domain) {
        if (domain.length == 2) {
            return Float.isInfinite(domain[0]) && Float.isInfinite(domain[1]) ? "none"
                    : "[" + domain[0] + ", " + domain[1] + "]";
        }
        return "per-feature bounds (" + domain.length / 2 + " features)";
    }
}
