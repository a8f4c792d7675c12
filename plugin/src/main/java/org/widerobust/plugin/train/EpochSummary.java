package org.widerobust.plugin.train;

/**
 * What one epoch did.
 *
 * @param epoch            the epoch, counted from 1
 * @param learningRate     its learning rate
 * @param loss             mean training loss over its batches (weighted by batch size)
 * @param cleanAccuracy    accuracy on the clean batches, measured before each step with inference semantics
 * @param adversarialAccuracy accuracy on the batches' adversarial examples (NaN for natural training)
 * @param examples         examples seen
 * @param seconds          wall time of the epoch (for a resumed epoch, including the time before the interruption)
 */
public record EpochSummary(int epoch, double learningRate, double loss, double cleanAccuracy,
                           double adversarialAccuracy, long examples, double seconds) {
    /** Examples per second. */
    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }
}
