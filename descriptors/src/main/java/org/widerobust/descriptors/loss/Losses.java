package org.widerobust.descriptors.loss;

import java.util.List;

/** Loss heads by name, as used on the command line and in configuration. */
public final class Losses {
    /** The attack losses, by name. */
    public static final List<String> ATTACK_LOSSES = List.of("ce", "kl", "cw", "dlr", "dlr-targeted");

    private Losses() {}

    /** Creates an attack loss: {@code ce}, {@code kl}, {@code cw}, {@code dlr} or {@code dlr-targeted}. */
    public static LossHead create(String name) {
        return switch (name) {
            case "ce" -> new CrossEntropyLoss();
            case "kl" -> new KlDivergenceLoss();
            case "cw" -> new CwMarginLoss();
            case "dlr" -> new DlrLoss(false);
            case "dlr-targeted" -> new DlrLoss(true);
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; known losses: " + ATTACK_LOSSES);
        };
    }
}
