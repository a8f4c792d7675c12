package org.widerobust.plugin.attack;

/** The threat model's norm. */
public enum Norm {
    LINF, L2;

    public static Norm parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "linf", "l-inf", "inf" -> LINF;
            case "l2" -> L2;
            default -> throw new IllegalArgumentException("unknown norm '" + s + "'; use linf or l2");
        };
    }
}
