package org.widerobust.plugin.train.war;

/**
 * The λ of one training run, batch by batch: the loop reads {@link #lambda()} before a batch's step and reports the
 * batch's mean natural risk and robust regularisation (without λ) with {@link #observe} after it. The whole state is
 * {@link #state()}, so a checkpoint restores the exact trajectory.
 */
public interface LambdaController {
    /** λ for the next batch. */
    double lambda();

    /** The current ρ_t, the moving-average balance R_rob / R_nat (NaN if the rule does not track it). */
    double ratio();

    /** Reports one batch's mean natural risk {@code R_nat} and robust regularisation {@code R_rob}. */
    void observe(double naturalRisk, double robustRegularization);

    /** The complete mutable state. */
    double[] state();

    /**
     * Restores a state from {@link #state()}.
     *
     * @throws IllegalArgumentException if it has the wrong length
     */
    void restore(double[] state);
}
