package org.widerobust.plugin.attack;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

/**
 * An attack on a batch: finds, for each example, a point inside the ε-ball (of its {@link Norm}) and the input box
 * that the target misclassifies, or the worst point it found.
 */
public interface Attack extends Configurable, Provenancable<ConfiguredObjectProvenance> {
    /**
     * A short name for tables and JSON that names the budget, e.g. {@code pgd-20}, {@code apgd-ce-100},
     * {@code fab-t-100}, {@code square-5000}.
     */
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

    /**
     * Why this attack cannot run on {@code target} (e.g. APGD-T on fewer than 4 classes), or null when it can.
     * Callers check this before any expensive work.
     */
    default String unsupportedReason(AttackTarget target) {
        return null;
    }

    /**
     * For an ensemble: the parts it leaves out on {@code target}, each with the reason (e.g. {@code "apgd-t-100
     * needs at least 4 classes (…); the model has 3"}). Empty for a single attack.
     */
    default java.util.List<String> leftOut(AttackTarget target) {
        return java.util.List.of();
    }
}
