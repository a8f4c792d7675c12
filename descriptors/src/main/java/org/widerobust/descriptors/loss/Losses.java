package org.widerobust.descriptors.loss;

import java.util.List;

/** Loss heads by name, as used on the command line and in configuration. */
public final class Losses {
    /** The attack losses, by name. */
    public static final List<String> ATTACK_LOSSES = List.of("ce", "kl", "cw", "dlr", "dlr-targeted", "l1-logits",
            TargetedLogitMarginLoss.NAME);

    private Losses() {}

    /** Creates an attack loss by name (see {@link #ATTACK_LOSSES}). */
    public static LossHead create(String name) {
        return switch (name) {
            case "ce" -> new CrossEntropyLoss();
            case "kl" -> new KlDivergenceLoss();
            case "cw" -> new CwMarginLoss();
            case "dlr" -> new DlrLoss(false);
            case "dlr-targeted" -> new DlrLoss(true);
            case "l1-logits" -> new L1LogitDistanceLoss();
            case TargetedLogitMarginLoss.NAME -> new TargetedLogitMarginLoss();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; known losses: " + ATTACK_LOSSES);
        };
    }
}
