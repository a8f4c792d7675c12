package org.widerobust.adapters.network;

/**
 * What a loss is measured against, for one batch. Unused fields may be null.
 *
 * @param labels          true labels {@code [n]} (every loss but {@code kl} and {@code l1-logits})
 * @param targetProbs     clean-prediction probabilities {@code [n * K]} (the {@code kl} loss)
 * @param targetLabels    target classes {@code [n]} (the {@code dlr-targeted} loss)
 * @param referenceLogits clean logits {@code [n * K]} (the {@code l1-logits} loss)
 */
public record LossTargets(int[] labels, float[] targetProbs, int[] targetLabels, float[] referenceLogits) {
    public LossTargets(int[] labels, float[] targetProbs, int[] targetLabels) {
        this(labels, targetProbs, targetLabels, null);
    }

    public static LossTargets labels(int[] labels) {
        return new LossTargets(labels, null, null, null);
    }
}
