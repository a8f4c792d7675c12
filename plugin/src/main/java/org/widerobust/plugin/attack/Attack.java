package org.widerobust.plugin.attack;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

/**
 * An attack on a batch: finds, for each example, a point inside the ε-ball (of its {@link Norm}) and the input box
 * that the target misclassifies, or the worst point it found.
 */
public interface Attack extends Configurable, Provenancable<ConfiguredObjectProvenance> {
    /** A short name for tables and JSON, e.g. {@code pgd-20}, {@code apgd-ce}, {@code square}. */
    String name();

    /** Whether the attack needs a {@link GradientTarget}. */
    boolean needsGradients();

    double epsilon();

    Norm norm();

    /**
     * Attacks {@code n} examples.
     *
     * @param target the model
     * @param x      clean inputs {@code [n * exampleLength]} (not modified)
     * @param labels true labels
     * @param n      batch size
     * @param seed   seed for random starts and random search, so that runs are reproducible
     */
    AttackResult attack(AttackTarget target, float[] x, int[] labels, int n, long seed);
}
