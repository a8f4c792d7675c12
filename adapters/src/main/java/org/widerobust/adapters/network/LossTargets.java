package org.widerobust.adapters.network;

/**
 * What a loss is measured against, for one batch. Unused fields may be null.
 *
 * @param labels       true labels {@code [n]} (every loss but {@code kl})
 * @param targetProbs  clean-prediction probabilities {@code [n * K]} (the {@code kl} loss)
 * @param targetLabels target classes {@code [n]} (the {@code dlr-targeted} loss)
 */
public record LossTargets(int[] labels, float[] targetProbs, int[] targetLabels) {
    public static LossTargets labels(int[] labels) {
        return new LossTargets(labels, null, null);
    }
}
