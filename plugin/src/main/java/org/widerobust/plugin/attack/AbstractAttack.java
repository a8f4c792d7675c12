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

    @Config(description = "Most examples attacked in one batch (>= 1); larger inputs are split into chunks, "
            + "chunk c seeded with seed + c·φ. Ignored by cascades (their attacks split their own inputs).")
    protected int batchSize = 512;

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
        checkAtLeast("batchSize", batchSize, 1);
    }

    /** Splits the input into chunks of at most {@code batchSize} examples and attacks each. */
    @Override
    public AttackResult attack(AttackTarget target, float[] x, int[] labels, int n, long seed) {
        checkBatch(target, x, labels, n);
        if (n <= batchSize) {
            return attackBatch(target, x, labels, n, seed);
        }
        int len = target.exampleLength();
        float[] adv = new float[n * len];
        int[] pred = new int[n];
        int[] iterations = new int[n];
        for (int start = 0, c = 0; start < n; start += batchSize, c++) {
            int m = Math.min(batchSize, n - start);
            float[] xs = java.util.Arrays.copyOfRange(x, start * len, (start + m) * len);
            int[] ys = java.util.Arrays.copyOfRange(labels, start, start + m);
            AttackResult r = attackBatch(target, xs, ys, m, seed + c * 0x9E3779B97F4A7C15L);
            System.arraycopy(r.adversarial(), 0, adv, start * len, m * len);
            System.arraycopy(r.predictions(), 0, pred, start, m);
            System.arraycopy(r.iterations(), 0, iterations, start, m);
        }
        return new AttackResult(adv, pred, iterations);
    }

    /** Attacks one batch of at most {@code batchSize} examples (already checked). */
    protected abstract AttackResult attackBatch(AttackTarget target, float[] x, int[] labels, int n, long seed);

    /** The largest batch this attack runs at once. */
    public int batchSize() {
        return batchSize;
    }

    /** Sets the largest batch (for callers that know their memory budget); returns this. */
    public AbstractAttack withBatchSize(int size) {
        checkAtLeast("batchSize", size, 1);
        this.batchSize = size;
        return this;
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

    /** Logits of {@code n} examples, in engine runs of at most 512 examples. */
    static float[] logits(AttackTarget target, float[] x, int n) {
        int k = target.numClasses();
        int len = target.exampleLength();
        float[] out = new float[n * k];
        if (n <= 512) {
            if (n > 0) {
                target.logits(x, n, out);
            }
            return out;
        }
        float[] z = new float[512 * k];
        for (int start = 0; start < n; start += 512) {
            int m = Math.min(512, n - start);
            target.logits(java.util.Arrays.copyOfRange(x, start * len, (start + m) * len), m, z);
            System.arraycopy(z, 0, out, start * k, m * k);
        }
        return out;
    }
}
