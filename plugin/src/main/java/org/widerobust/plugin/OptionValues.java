package org.widerobust.plugin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one reading of option values that name several items or a number, for the command line and the library alike:
 * a comma-separated list ({@code --attack pgd,apgd-ce}, {@code --widths 1,2,4}, {@code --workloads forward,pgd20_eval})
 * has trimmed items, and an empty item (a doubled or trailing comma) or an item given twice is refused rather than
 * skipped or run twice; a real number may be written as a fraction ({@code 8/255}).
 */
public final class OptionValues {
    private static final java.util.regex.Pattern FRACTION = java.util.regex.Pattern.compile(
            "\\s*([^/\\s]+)\\s*/\\s*([^/\\s]+)\\s*");

    private OptionValues() {}

    /**
     * A real-valued option's value: a decimal ({@code 0.1}, {@code 2e-4}) or a fraction {@code a/b} ({@code 8/255}).
     *
     * @throws NumberFormatException if it is neither, or divides by zero
     */
    public static double real(String v) {
        java.util.regex.Matcher m = FRACTION.matcher(v);
        if (m.matches()) {
            double den = Double.parseDouble(m.group(2));
            if (den == 0) {
                throw new NumberFormatException("division by zero");
            }
            return Double.parseDouble(m.group(1)) / den;
        }
        return Double.parseDouble(v.trim());
    }

    /**
     * The items of {@code text}, in order.
     *
     * @param option the option's name without dashes, for messages
     * @param text   the value; null or blank gives an empty list
     * @throws IllegalArgumentException naming the option for an empty or repeated item (case-insensitive)
     */
    public static List<String> list(String option, String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (String part : text.split(",", -1)) {
            String item = part.trim();
            if (item.isEmpty()) {
                throw new IllegalArgumentException("--" + option + " '" + text + "' has an empty item (a doubled or "
                        + "trailing comma?)");
            }
            if (!seen.add(item.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--" + option + " names '" + item + "' twice in '" + text + "'");
            }
            out.add(item);
        }
        return out;
    }
}
