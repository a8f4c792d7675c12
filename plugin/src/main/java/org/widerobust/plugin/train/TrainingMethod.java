package org.widerobust.plugin.train;

import java.util.Locale;

/** What a training step minimises. */
public enum TrainingMethod {
    /** Cross-entropy on clean examples. */
    NATURAL,
    /** Madry et al.: cross-entropy on PGD examples (L∞, uniform random start). */
    PGD,
    /** Zhang et al.: {@code CE(f(x), y) + λ·KL(p(x) ‖ p(x'))}, x' from PGD on the KL term. */
    TRADES;

    /** Parses {@code natural}, {@code pgd} or {@code trades} (case-insensitive). */
    public static TrainingMethod parse(String name) {
        if (name != null) {
            for (TrainingMethod m : values()) {
                if (m.name().equalsIgnoreCase(name.trim())) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("unknown training method '" + name + "'; use natural, pgd or trades");
    }

    /** The lower-case name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
