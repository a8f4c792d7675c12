package org.widerobust.plugin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one reading of a comma-separated option value ({@code --attack pgd,apgd-ce}, {@code --widths 1,2,4},
 * {@code --workloads forward,pgd20_eval}): items are trimmed, and an empty item (a doubled or trailing comma) or an
 * item given twice is refused rather than skipped or run twice.
 */
public final class CommaList {
    private CommaList() {}

    /**
     * The items of {@code text}, in order.
     *
     * @param option the option's name without dashes, for messages
     * @param text   the value; null or blank gives an empty list
     * @throws IllegalArgumentException naming the option for an empty or repeated item (case-insensitive)
     */
    public static List<String> parse(String option, String text) {
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
