package org.widerobust.plugin.attack;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AutoAttack-style ensemble: runs its attacks in order, each on the examples still classified correctly after the
 * previous ones, and keeps the worst case per example (a misclassified point, else the point with the lowest
 * margin {@code z_y − max_{j≠y} z_j}). Records which attack broke each example. A point misclassified on its clean
 * input is attacked by none and keeps its clean input. Attacks that cannot run on a target (APGD-T on fewer than 4
 * classes) are left out at run time and reported by {@link #leftOut(AttackTarget)}.
 */
public final class AttackCascade extends AbstractAttack {
    @Config(mandatory = true, description = "The attacks, in order; all must share ε and the norm.")
    private List<Attack> attacks = new ArrayList<>();

    @Config(description = "The ensemble's name in tables and JSON (its attacks follow in parentheses).")
    private String label = "cascade";

    @Config(description = "Attacks of the ensemble's definition left out for this threat model, with the reason.")
    private List<String> leftOutForThreatModel = new ArrayList<>();

    /** For OLCUT: set the {@code @Config} fields, then {@link #postConfig()} validates them. */
    public AttackCascade() {}

    public AttackCascade(List<? extends Attack> attacks) {
        this(attacks, "cascade", List.of());
    }

    /**
     * @param attacks  the attacks, in order
     * @param label    the ensemble's name
     * @param leftOut  attacks of the ensemble's definition left out for this threat model, with the reason
     */
    public AttackCascade(List<? extends Attack> attacks, String label, List<String> leftOut) {
        super(attacks.isEmpty() ? Double.NaN : attacks.get(0).epsilon(),
                attacks.isEmpty() ? Norm.LINF : attacks.get(0).norm());
        this.attacks = new ArrayList<>(attacks);
        this.label = label;
        this.leftOutForThreatModel = new ArrayList<>(leftOut);
        postConfig();
    }

    /**
     * AutoAttack's standard version (Croce &amp; Hein 2020, {@code version='standard'}): APGD-CE (100 iterations)
     * → APGD-T (100 iterations, 9 target classes) → FAB-T (100 iterations, 9 target classes) → Square (5,000
     * queries), one restart each, worst case per point. widerobust's Square is L∞ only, so it is left out for L2.
     */
    public static AttackCascade standard(double epsilon, Norm norm) {
        return standard(epsilon, norm, 100, 100, 5000);
    }

    /** The standard version with other budgets (APGD iterations, FAB iterations, Square queries). */
    public static AttackCascade standard(double epsilon, Norm norm, int apgdIterations, int fabIterations,
                                         int squareQueries) {
        List<Attack> list = new ArrayList<>();
        List<String> out = new ArrayList<>();
        list.add(new Apgd(epsilon, norm, apgdIterations, 1, "ce"));
        list.add(new Apgd(epsilon, norm, apgdIterations, 1, "dlr-targeted"));
        list.add(new Fab(epsilon, norm, fabIterations, 1, true, 9));
        if (norm == Norm.LINF) {
            list.add(new SquareAttack(epsilon, squareQueries));
        } else {
            out.add("square-" + squareQueries + " is L-inf only in widerobust");
        }
        return new AttackCascade(list, "autoattack", out);
    }

    @Override
    public void postConfig() {
        if (attacks == null || attacks.isEmpty()) {
            throw new PropertyException("", "attacks", "a cascade needs at least one attack");
        }
        if (label == null || label.isBlank()) {
            throw new PropertyException("", "label", "a cascade needs a label");
        }
        epsilon = attacks.get(0).epsilon();
        norm = attacks.get(0).norm();
        super.postConfig();
        for (Attack a : attacks) {
            if (a.epsilon() != epsilon || a.norm() != norm) {
                throw new PropertyException("", "attacks", "all attacks must share the threat model " + norm
                        + " ε=" + epsilon + ", but " + a.name() + " has " + a.norm() + " ε=" + a.epsilon());
            }
        }
    }

    public List<Attack> attacks() {
        return List.copyOf(attacks);
    }

    @Override
    public String name() {
        return label + "(" + String.join("+", attacks.stream().map(Attack::name).toList()) + ")";
    }

    /** Null unless none of the attacks can run on the target. */
    @Override
    public String unsupportedReason(AttackTarget target) {
        List<String> reasons = new ArrayList<>();
        for (Attack a : attacks) {
            String r = a.unsupportedReason(target);
            if (r == null) {
                return null;
            }
            reasons.add(r);
        }
        return "no attack of " + name() + " can run: " + String.join("; ", reasons);
    }

    /** The attacks left out for the threat model and those that cannot run on the target, with the reasons. */
    @Override
    public List<String> leftOut(AttackTarget target) {
        List<String> out = new ArrayList<>(leftOutForThreatModel);
        for (Attack a : attacks) {
            String r = a.unsupportedReason(target);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public boolean needsGradients() {
        return attacks.stream().anyMatch(Attack::needsGradients);
    }

    @Override
    public AttackResult attack(AttackTarget target, float[] x, int[] labels, int n, long seed) {
        return run(target, x, labels, n, seed).result();
    }

    @Override
    protected AttackResult attackBatch(AttackTarget target, float[] x, int[] labels, int n, long seed) {
        return run(target, x, labels, n, seed).result();
    }

    /** Runs the cascade and reports who broke what. Attack {@code i} gets seed {@code seed + i}. */
    public CascadeResult run(AttackTarget target, float[] x, int[] labels, int n, long seed) {
        checkBatch(target, x, labels, n);
        int len = target.exampleLength();
        int kc = target.numClasses();
        float[] best = Arrays.copyOf(x, n * len);
        float[] z = logits(target, x, n);
        int[] pred = Scores.predictions(z, n, kc);
        float[] margin = new float[n];
        int[] brokenBy = new int[n];
        int[] iterations = new int[n];
        int clean = 0;
        for (int i = 0; i < n; i++) {
            margin[i] = Scores.margin(z, i, kc, labels[i]);
            brokenBy[i] = pred[i] == labels[i] ? CascadeResult.NONE : CascadeResult.CLEAN;
            clean += pred[i] == labels[i] ? 1 : 0;
        }
        int[] robustAfter = new int[attacks.size()];
        List<String> names = new ArrayList<>();
        for (int a = 0; a < attacks.size(); a++) {
            Attack attack = attacks.get(a);
            names.add(attack.name());
            if (attack.unsupportedReason(target) != null) {
                robustAfter[a] = a == 0 ? clean : robustAfter[a - 1];
                continue;
            }
            boolean[] robust = new boolean[n];
            for (int i = 0; i < n; i++) {
                robust[i] = brokenBy[i] == CascadeResult.NONE;
            }
            int[] idx = Batches.where(robust);
            if (idx.length > 0) {
                float[] xs = Batches.gather(x, idx, len);
                AttackResult r = attack.attack(target, xs, Batches.gather(labels, idx), idx.length, seed + a);
                float[] za = logits(target, r.adversarial(), idx.length);
                for (int k = 0; k < idx.length; k++) {
                    int i = idx[k];
                    iterations[i] += r.iterations()[k];
                    int p = Scores.argmax(za, k, kc);
                    float mk = Scores.margin(za, k, kc, labels[i]);
                    if (p != labels[i] || mk < margin[i]) {
                        Batches.copyExample(r.adversarial(), k, best, i, len);
                        margin[i] = mk;
                        pred[i] = p;
                    }
                    if (p != labels[i]) {
                        brokenBy[i] = a;
                    }
                }
            }
            int c = 0;
            for (int b : brokenBy) {
                c += b == CascadeResult.NONE ? 1 : 0;
            }
            robustAfter[a] = c;
        }
        return new CascadeResult(new AttackResult(best, pred, iterations), names, brokenBy, robustAfter, clean);
    }
}
