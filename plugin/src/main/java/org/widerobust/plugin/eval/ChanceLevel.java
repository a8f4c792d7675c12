package org.widerobust.plugin.eval;

/**
 * The one rule for a classifier at chance: natural accuracy not above 1/K by more than two binomial standard errors
 * of 1/K on the n test examples, the mark of an untrained or broken model. The evaluation's warning and the study
 * report's left-out points both use it.
 */
public final class ChanceLevel {
    /** Words every chance-level warning holds, so that readers of an evaluation's warnings can find it. */
    public static final String PHRASE = "is not above chance";

    private ChanceLevel() {}

    /** The accuracy at or below which a classifier of {@code classes} classes on {@code n} examples is at chance. */
    public static double threshold(int classes, int n) {
        double chance = 1.0 / classes;
        return chance + 2 * Math.sqrt(chance * (1 - chance) / n);
    }

    /**
     * Whether an accuracy is at chance; false when it cannot be told (fewer than 2 classes, no examples, or NaN).
     */
    public static boolean atChance(double accuracy, int classes, int n) {
        return classes >= 2 && n >= 1 && !Double.isNaN(accuracy) && accuracy <= threshold(classes, n);
    }
}
