package org.widerobust.plugin.attack;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.Set;

/** The configuration every attack shares (ε, norm), its validation, provenance and a few batch helpers. */
public abstract class AbstractAttack implements Attack {
    /** Losses the gradient engine knows for untargeted attacks. */
    static final Set<String> UNTARGETED_LOSSES = Set.of("ce", "kl", "cw", "dlr");

    @Config(description = "Radius of the threat model's ball (> 0, required; a cascade takes its attacks').")
    protected double epsilon = Double.NaN;

    @Config(description = "Norm of the threat model (LINF or L2).")
    protected Norm norm = Norm.LINF;

    /** For OLCUT. */
    protected AbstractAttack() {}

    protected AbstractAttack(double epsilon, Norm norm) {
        this.epsilon = epsilon;
        this.norm = norm;
    }

    /** Validates ε and the norm; subclasses add their own checks and call super. */
    @Override
    public void postConfig() {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new PropertyException("", "epsilon", "epsilon must be > 0 and finite, found " + epsilon);
        }
        if (norm == null) {
            throw new PropertyException("", "norm", "norm must be set (LINF or L2)");
        }
    }

    @Override
    public double epsilon() {
        return epsilon;
    }

    @Override
    public Norm norm() {
        return norm;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Attack");
    }

    @Override
    public String toString() {
        return name() + "(eps=" + epsilon + ", norm=" + norm + ")";
    }

    static void checkPositive(String field, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new PropertyException("", field, field + " must be > 0 and finite, found " + v);
        }
    }

    static void checkAtLeast(String field, int v, int min) {
        if (v < min) {
            throw new PropertyException("", field, field + " must be >= " + min + ", found " + v);
        }
    }

    /** The target as a {@link GradientTarget}, or a clear error. */
    GradientTarget gradients(AttackTarget target) {
        if (target instanceof GradientTarget g) {
            return g;
        }
        throw new IllegalArgumentException(name() + " needs input gradients, but the target ("
                + target.getClass().getSimpleName() + ") only gives scores; use a score-based attack such as square");
    }

    static void checkBatch(AttackTarget target, float[] x, int[] labels, int n) {
        if (n < 0 || x.length < (long) n * target.exampleLength() || labels.length < n) {
            throw new IllegalArgumentException("batch of " + n + " examples needs " + n * target.exampleLength()
                    + " inputs and " + n + " labels, found " + x.length + " and " + labels.length);
        }
    }

    /** Logits of a batch. */
    static float[] logits(AttackTarget target, float[] x, int n) {
        float[] out = new float[n * target.numClasses()];
        if (n > 0) {
            target.logits(x, n, out);
        }
        return out;
    }
}
