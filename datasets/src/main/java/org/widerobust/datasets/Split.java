package org.widerobust.datasets;

import java.util.Locale;

/** Which part of a data set to load. */
public enum Split {
    /** The training split. */
    TRAIN,
    /** The test split. */
    TEST;

    /**
     * Parses {@code train} or {@code test} (case-insensitive), as given to {@code --split}.
     * @param s the text.
     * @return the split.
     * @throws IllegalArgumentException for anything else.
     */
    public static Split parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "train": return TRAIN;
            case "test": return TEST;
            default: throw new IllegalArgumentException("Unknown split '" + s + "': expected train or test");
        }
    }

    /** @return {@code "train"} or {@code "test"}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
