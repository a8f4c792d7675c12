package org.widerobust.plugin.attack;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.widerobust.descriptors.loss.TargetedLogitMarginLoss;

/**
 * The Fast Adaptive Boundary attack (Croce &amp; Hein, "Minimally distorted adversarial examples with a fast adaptive
 * boundary attack", ICML 2020), untargeted (FAB) and targeted (FAB-T), under L∞ or L2: a minimum-norm attack that
 * linearises the decision boundary at the current iterate and steps towards its projection, biased back towards the
 * original point.
 *
 * <p>Per iteration, with {@code f = z_s − z_y} and {@code w = ∇f} at the iterate {@code x_i} (FAB-T: {@code s} the
 * target class; FAB: the class whose linearised boundary is closest, {@code argmin_{s≠y} |f_s| / ‖∇f_s‖_q} with
 * {@code q} the dual norm): {@code δ = proj(x_i) − x_i} and {@code δ_0 = proj(x_0) − x_0} onto the hyperplane
 * {@code f(x_i) + ⟨w, z − x_i⟩ = 0} inside the box ({@link BoundaryProjection}); {@code α = min(‖δ‖ / (‖δ‖ +
 * ‖δ_0‖), α_max)}; {@code x_{i+1} = clip((1 − α)(x_i + η δ) + α (x_0 + η δ_0))}. When {@code x_{i+1}} is
 * misclassified it is kept if closer than the best so far and moved back towards the original: {@code x_{i+1} = x_0 +
 * β (x_{i+1} − x_0)}. Restart 0 starts at the original point, later restarts at a random point at distance
 * {@code min(best, ε) / 2}.
 *
 * <p>As in AutoAttack, FAB-T attacks the target classes ranked 2..({@code numTargetClasses} + 1) by the clean
 * logits in turn, and each target and restart re-attacks only the points with no adversarial example within ε yet.
 * The result of a point is its smallest adversarial example if that lies within ε, else the clean input (so every
 * returned point is inside the threat model). Defaults are AutoAttack's standard version: 100 iterations,
 * 1 restart, 9 target classes, α_max = 0.1, η = 1.05, β = 0.9. There is no early stop: the attack minimises the
 * perturbation, so it runs every iteration on every point it attacks.
 */
public final class Fab extends AbstractAttack {
    @Config(description = "Iterations per run (>= 1).")
    private int steps = 100;

    @Config(description = "Runs per target class (>= 1); run 0 starts at the clean point, later ones at random.")
    private int restarts = 1;

    @Config(description = "FAB-T (targeted, one run per target class) rather than untargeted FAB.")
    private boolean targeted = true;

    @Config(description = "FAB-T: target classes (ranked 2.. by the clean logits), capped at classes − 1.")
    private int numTargetClasses = 9;

    @Config(description = "Largest weight α of the step from the original point (0 <= α_max <= 1).")
    private double alphaMax = 0.1;

    @Config(description = "Overshoot η of the projection steps (>= 1).")
    private double eta = 1.05;

    @Config(description = "Backward step β towards the original point after a success (0 < β <= 1).")
    private double beta = 0.9;

    /** For OLCUT: set the {@code @Config} fields, then {@link #postConfig()} validates them. */
    public Fab() {}

    /** FAB with AutoAttack's α_max, η and β. */
    public Fab(double epsilon, Norm norm, int steps, int restarts, boolean targeted, int numTargetClasses) {
        this(epsilon, norm, steps, restarts, targeted, numTargetClasses, 0.1, 1.05, 0.9);
    }

    public Fab(double epsilon, Norm norm, int steps, int restarts, boolean targeted, int numTargetClasses,
               double alphaMax, double eta, double beta) {
        super(epsilon, norm);
        this.steps = steps;
        this.restarts = restarts;
        this.targeted = targeted;
        this.numTargetClasses = numTargetClasses;
        this.alphaMax = alphaMax;
        this.eta = eta;
        this.beta = beta;
        postConfig();
    }

    /** FAB-T as in AutoAttack's standard version: 100 iterations, 1 restart, 9 target classes. */
    public static Fab standardTargeted(double epsilon, Norm norm) {
        return new Fab(epsilon, norm, 100, 1, true, 9);
    }

    @Override
    public void postConfig() {
        super.postConfig();
        checkAtLeast("steps", steps, 1);
        checkAtLeast("restarts", restarts, 1);
        checkAtLeast("numTargetClasses", numTargetClasses, 1);
        if (!(alphaMax >= 0 && alphaMax <= 1)) {
            throw new PropertyException("", "alphaMax", "alphaMax must be in [0, 1], found " + alphaMax);
        }
        if (!(eta >= 1) || Double.isInfinite(eta)) {
            throw new PropertyException("", "eta", "eta must be >= 1 and finite, found " + eta);
        }
        if (!(beta > 0 && beta <= 1)) {
            throw new PropertyException("", "beta", "beta must be in (0, 1], found " + beta);
        }
    }

    @Override
    public String name() {
        return (targeted ? "fab-t-" : "fab-") + steps + (restarts > 1 ? "x" + restarts : "");
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public String unsupportedReason(AttackTarget target) {
        return target.numClasses() < 2 ? name() + " needs at least 2 classes; the model has "
                + target.numClasses() : null;
    }

    public boolean targeted() {
        return targeted;
    }

    public int steps() {
        return steps;
    }

    @Override
    protected AttackResult attackBatch(AttackTarget target, float[] x, int[] labels, int n, long seed) {
        GradientTarget g = gradients(target);
        int kc = target.numClasses();
        int len = target.exampleLength();
        float[] clean = logits(target, x, n);
        int[] pred = Scores.predictions(clean, n, kc);
        float[] best = Arrays.copyOf(x, n * len);
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) {
            done[i] = pred[i] != labels[i];
        }
        int[] iterations = new int[n];
        SplittableRandom rng = new SplittableRandom(seed);
        int passes = targeted ? Math.min(numTargetClasses, kc - 1) : 1;
        for (int rank = 2; rank < 2 + passes; rank++) {
            for (int r = 0; r < restarts; r++) {
                int[] idx = Batches.where(Pgd.negate(done));
                if (idx.length == 0) {
                    break;
                }
                int[] targets = targeted ? Scores.classesAtRank(clean, idx, kc, rank) : null;
                float[] xs = Batches.gather(x, idx, len);
                int[] ys = Batches.gather(labels, idx);
                Run run = new Run(g, xs, ys, targets, idx.length, r > 0 ? rng.split() : null);
                run.execute();
                for (int k = 0; k < idx.length; k++) {
                    int i = idx[k];
                    iterations[i] += steps;
                    if (run.bestNorm[k] <= epsilon) {
                        Batches.copyExample(run.adv, k, best, i, len);
                        done[i] = true;
                    }
                }
            }
        }
        float[] z = logits(target, best, n);
        return new AttackResult(best, Scores.predictions(z, n, kc), iterations);
    }

    /** One FAB run from the clean points (or a random start) on a sub-batch. */
    private final class Run {
        private final GradientTarget g;
        private final float[] x0;
        private final int[] ys;
        private final int[] targets;
        private final int m;
        private final int len;
        private final int kc;
        private final float[] bounds;
        private final SplittableRandom rng;
        final float[] adv;
        final double[] bestNorm;

        Run(GradientTarget g, float[] x0, int[] ys, int[] targets, int m, SplittableRandom rng) {
            this.g = g;
            this.x0 = x0;
            this.ys = ys;
            this.targets = targets;
            this.m = m;
            this.len = g.exampleLength();
            this.kc = g.numClasses();
            this.bounds = g.inputBounds();
            this.rng = rng;
            this.adv = Arrays.copyOf(x0, m * len);
            this.bestNorm = new double[m];
            Arrays.fill(bestNorm, Double.POSITIVE_INFINITY);
        }

        void execute() {
            float[] x1 = rng == null ? Arrays.copyOf(x0, m * len) : randomStart();
            float[] f = new float[m];
            float[] w = new float[m * len];
            float[] d1 = new float[m * len];
            float[] d2 = new float[m * len];
            float[] z = new float[m * kc];
            for (int it = 0; it < steps; it++) {
                boundary(x1, f, w);
                for (int k = 0; k < m; k++) {
                    int off = k * len;
                    double wx1 = 0;
                    double wx0 = 0;
                    for (int j = off; j < off + len; j++) {
                        wx1 += (double) w[j] * x1[j];
                        wx0 += (double) w[j] * x0[j];
                    }
                    BoundaryProjection.step(x1, w, off, len, -f[k], norm, bounds, d1);
                    BoundaryProjection.step(x0, w, off, len, -f[k] - (wx0 - wx1), norm, bounds, d2);
                    double a1 = Math.max(ThreatModelMath.norm(d1, off, len, norm), 1e-8);
                    double a2 = Math.max(ThreatModelMath.norm(d2, off, len, norm), 1e-8);
                    double alpha = Math.min(Math.max(a1 / (a1 + a2), 0), alphaMax);
                    for (int j = off; j < off + len; j++) {
                        double v = (1 - alpha) * (x1[j] + eta * d1[j]) + alpha * (x0[j] + eta * d2[j]);
                        x1[j] = (float) Math.min(Math.max(v, bounds[0]), bounds[1]);
                    }
                }
                g.logits(x1, m, z);
                for (int k = 0; k < m; k++) {
                    if (Scores.argmax(z, k, kc) == ys[k]) {
                        continue;
                    }
                    int off = k * len;
                    double t = ThreatModelMath.distance(x1, x0, off, len, norm);
                    if (t < bestNorm[k]) {
                        bestNorm[k] = t;
                        System.arraycopy(x1, off, adv, off, len);
                    }
                    for (int j = off; j < off + len; j++) {
                        x1[j] = (float) (x0[j] + (x1[j] - (double) x0[j]) * beta);
                    }
                }
            }
        }

        /**
         * {@code f = z_s − z_y} and its input gradient {@code w} at {@code x1} for the class {@code s} of each point:
         * the target (FAB-T), or the class with the closest linearised boundary (FAB).
         */
        private void boundary(float[] x1, float[] f, float[] w) {
            if (targeted) {
                g.lossGradient(TargetedLogitMarginLoss.NAME, x1, m, new org.widerobust.adapters.network.LossTargets(
                        ys, null, targets), w, f, null);
                return;
            }
            double[] bestDist = new double[m];
            Arrays.fill(bestDist, Double.POSITIVE_INFINITY);
            float[] gs = new float[m * len];
            float[] fs = new float[m];
            int[] cls = new int[m];
            Norm dual = norm == Norm.LINF ? null : Norm.L2;
            for (int s = 0; s < kc; s++) {
                Arrays.fill(cls, s);
                g.lossGradient(TargetedLogitMarginLoss.NAME, x1, m, new org.widerobust.adapters.network.LossTargets(
                        ys, null, cls), gs, fs, null);
                for (int k = 0; k < m; k++) {
                    if (ys[k] == s) {
                        continue;
                    }
                    int off = k * len;
                    double q = dual == null ? l1(gs, off, len) : ThreatModelMath.norm(gs, off, len, Norm.L2);
                    double dist = Math.abs(fs[k]) / (q + 1e-12);
                    if (dist < bestDist[k]) {
                        bestDist[k] = dist;
                        f[k] = fs[k];
                        System.arraycopy(gs, off, w, off, len);
                    }
                }
            }
        }

        private float[] randomStart() {
            float[] out = new float[m * len];
            for (int k = 0; k < m; k++) {
                int off = k * len;
                double radius = Math.min(bestNorm[k], epsilon) * 0.5;
                double[] t = new double[len];
                for (int j = 0; j < len; j++) {
                    t[j] = norm == Norm.LINF ? 2 * rng.nextDouble() - 1 : ThreatModelMath.gaussian(rng);
                }
                double size = 0;
                for (double v : t) {
                    size = norm == Norm.LINF ? Math.max(size, Math.abs(v)) : size + v * v;
                }
                size = norm == Norm.LINF ? size : Math.sqrt(size);
                for (int j = 0; j < len; j++) {
                    double v = x0[off + j] + radius * t[j] / Math.max(size, 1e-12);
                    out[off + j] = (float) Math.min(Math.max(v, bounds[0]), bounds[1]);
                }
            }
            return out;
        }
    }

    private static double l1(float[] v, int off, int len) {
        double s = 0;
        for (int j = off; j < off + len; j++) {
            s += Math.abs(v[j]);
        }
        return s;
    }
}
