package org.widerobust.descriptors.network;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry of network families: turns a family name and a width factor into a {@link NetworkDescriptor}.
 * Names are {@code mlp}, {@code smallcnn}, {@code wrn-D} (WideResNet of depth D; {@code wrn} is {@code wrn-34}) and
 * {@code wrn-D-k}, which also fixes the width k, as {@link NetworkDescriptor#describe()} writes it.
 */
public final class Families {
    /** The family name patterns, for messages and help text. */
    public static final List<String> KNOWN = List.of(MlpDescriptor.FAMILY, SmallCnnDescriptor.FAMILY,
            WideResNetDescriptor.FAMILY + "-D", WideResNetDescriptor.FAMILY + "-D-k");
    /** The family names for help texts, in the same terms as {@link #KNOWN}; a compile-time constant. */
    public static final String HELP = "mlp, smallcnn, wrn-D (WideResNet of depth D = 6n+4; wrn is wrn-34) or wrn-D-k "
            + "(depth D and width k, e.g. wrn-34-10)";

    private static final Pattern WRN = Pattern.compile("wrn(?:-(\\d+)(?:-([0-9.]+))?)?");
    private static final Pattern WITH_WIDTH = Pattern.compile("(.+)\\(k=([0-9.eE+-]+)\\)");
    private static final int DEFAULT_WRN_DEPTH = 34;

    private Families() {}

    /**
     * Creates the descriptor of family {@code name} with width factor {@code width}, e.g.
     * {@code create("smallcnn", 2)} or {@code create("wrn-34", 10)}. A name that fixes the width, like
     * {@code wrn-16-4}, must agree with {@code width}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known families), an invalid width or depth
     */
    public static NetworkDescriptor create(String name, double width) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        try {
            if (key.equals(MlpDescriptor.FAMILY)) {
                return new MlpDescriptor(width);
            }
            if (key.equals(SmallCnnDescriptor.FAMILY)) {
                return new SmallCnnDescriptor(width);
            }
            Matcher m = WRN.matcher(key);
            if (m.matches()) {
                if (m.group(2) != null && parseWidth(m.group(2), name) != width) {
                    throw new IllegalArgumentException("network '" + name + "' has width " + m.group(2)
                            + " but width " + NetworkDescriptor.format(width) + " was asked for");
                }
                int depth = m.group(1) == null ? DEFAULT_WRN_DEPTH : Integer.parseInt(m.group(1));
                return new WideResNetDescriptor(depth, width);
            }
        } catch (PropertyException e) {
            throw new IllegalArgumentException("network '" + name + "': " + e.getMsg(), e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("network '" + name + "': bad number: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unknown network family '" + name + "'; known families: "
                + String.join(", ", KNOWN));
    }

    /**
     * Creates a descriptor from a full name: a {@link NetworkDescriptor#describe()} string such as
     * {@code smallcnn(k=2)} or {@code wrn-34-10}, or a bare family name at its default width (1, or 10 for wrn).
     */
    public static NetworkDescriptor create(String spec) {
        String key = spec.trim().toLowerCase(Locale.ROOT);
        Matcher m = WITH_WIDTH.matcher(key);
        if (m.matches()) {
            return create(m.group(1), parseWidth(m.group(2), spec));
        }
        Matcher wrn = WRN.matcher(key);
        if (wrn.matches()) {
            return create(key, wrn.group(2) == null ? 10 : parseWidth(wrn.group(2), spec));
        }
        return create(key, 1.0);
    }

    private static double parseWidth(String text, String name) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("network '" + name + "': bad width '" + text + "'", e);
        }
    }
}
