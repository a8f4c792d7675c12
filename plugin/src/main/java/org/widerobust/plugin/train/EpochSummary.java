package org.widerobust.plugin.train;

/**
 * What one epoch did. Risks and λ are means over the epoch's batches weighted by batch size; a value a method does
 * not have (the robust term of natural training, validation without {@code --val}) is NaN.
 *
 * @param epoch                the epoch, counted from 1
 * @param learningRate         its learning rate
 * @param loss                 mean training loss over its batches (weighted by batch size)
 * @param cleanAccuracy        accuracy on the clean batches, measured before each step with inference semantics
 * @param adversarialAccuracy  accuracy on the batches' adversarial examples (NaN for natural training)
 * @param examples             examples seen
 * @param seconds              wall time of the epoch (for a resumed epoch, including the time before the interruption)
 * @param naturalRisk          mean natural risk R_nat (cross-entropy on clean examples, training semantics)
 * @param robustRegularization mean robust regularisation R_rob without λ (CE(x') − CE(x) for pgd, KL for trades)
 * @param lambdaLast           λ after the epoch's last batch (the λ rule's state)
 * @param lambdaMean           mean λ used by the epoch's batches
 * @param ratio                ρ_t, the rule's moving average of R_rob / R_nat, after the epoch's last batch
 * @param localLipschitz       mean over the batches of the local Lipschitz proxy: per example the largest
 *                             ‖∇_x loss‖₁ over the inner attack's iterates, averaged over the batch
 * @param valNaturalAccuracy   natural accuracy on the held-out validation examples after the epoch
 * @param valRobustAccuracy    PGD robust accuracy on them
 * @param valStability         perturbation stability on them (share whose predicted class survives the attack)
 */
public record EpochSummary(int epoch, double learningRate, double loss, double cleanAccuracy,
                           double adversarialAccuracy, long examples, double seconds, double naturalRisk,
                           double robustRegularization, double lambdaLast, double lambdaMean, double ratio,
                           double localLipschitz, double valNaturalAccuracy, double valRobustAccuracy,
                           double valStability) {
    /** Examples per second. */
    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }

    /** Whether this epoch was validated. */
    public boolean validated() {
        return !Double.isNaN(valRobustAccuracy);
    }
}
