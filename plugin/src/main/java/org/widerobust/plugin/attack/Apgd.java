package org.widerobust.plugin.attack;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Auto-PGD (Croce &amp; Hein 2020): step-size-free PGD with momentum. APGD-CE maximises the cross-entropy (or another
 * untargeted loss); APGD-T ({@code loss = dlr-targeted}) maximises the targeted DLR loss once per target class,
 * the classes ranked 2..(numTargetClasses+1) by the clean logits.
 *
 * <p>Each run starts at a random point of the ball with step size η = 2ε; an iteration is
 * {@code z = P(x_k + η·s(∇))}, {@code x_{k+1} = P(x_k + 0.75(z − x_k) + 0.25(x_k − x_{k−1}))} (no momentum in the
 * first iteration). At the checkpoints {@code p_0 = 0, p_1 = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06)}
 * (fractions of the iterations) an example's step size is halved and its iterate returns to its best point when
 * the loss increased in at most ρ = 0.75 of the iterations since the last checkpoint, or when the step was not
 * reduced at the last checkpoint and the best loss did not improve since. Per example the result is the first
 * misclassified point found or else the highest-loss point. Restarts and target classes re-attack only the
 * still-robust examples; with early stop, misclassified examples leave the batch at once.
 */
public final class Apgd extends AbstractAttack {
    private static final Set<String> LOSSES = Set.of("ce", "kl", "cw", "dlr", "dlr-targeted");
    private static final double RHO = 0.75;
    private static final double MOMENTUM = 0.75;

    @Config(description = "Iterations per run (>= 1).")
    private int steps = 100;

    @Config(description = "Runs per target (>= 1).")
    private int restarts = 1;

    @Config(description = "Loss: ce, kl, cw, dlr, or dlr-targeted for APGD-T.")
    private String loss = "ce";

    @Config(description = "APGD-T: target classes (ranked 2.. by the clean logits), capped at classes − 1.")
    private int numTargetClasses = 9;

    @Config(description = "Drop examples from the batch as soon as they are misclassified.")
    private boolean earlyStop = true;

    /** For OLCUT: set the {@code @Config} fields, then {@link #postConfig()} validates them. */
    public Apgd() {}

    /** APGD with early stop and 9 target classes for APGD-T. */
    public Apgd(double epsilon, Norm norm, int steps, int restarts, String loss) {
        this(epsilon, norm, steps, restarts, loss, 9, true);
    }

    public Apgd(double epsilon, Norm norm, int steps, int restarts, String loss, int numTargetClasses,
                boolean earlyStop) {
        super(epsilon, norm);
        this.steps = steps;
        this.restarts = restarts;
        this.loss = loss;
        this.numTargetClasses = numTargetClasses;
        this.earlyStop = earlyStop;
        postConfig();
    }

    public int steps() {
        return steps;
    }

    /** APGD-CE with 100 iterations. */
    public static Apgd ce(double epsilon, Norm norm) {
        return new Apgd(epsilon, norm, 100, 1, "ce");
    }

    /** APGD-T (targeted DLR, 9 targets) with 100 iterations. */
    public static Apgd targeted(double epsilon, Norm norm) {
        return new Apgd(epsilon, norm, 100, 1, "dlr-targeted");
    }

    @Override
    public void postConfig() {
        super.postConfig();
        checkAtLeast("steps", steps, 1);
        checkAtLeast("restarts", restarts, 1);
        checkAtLeast("numTargetClasses", numTargetClasses, 1);
        if (loss == null || !LOSSES.contains(loss)) {
            throw new PropertyException("", "loss", "unknown loss '" + loss + "'; use one of " + LOSSES);
        }
    }

    public boolean targeted() {
        return "dlr-targeted".equals(loss);
    }

    @Override
    public String name() {
        return (targeted() ? "apgd-t" : "apgd-" + loss) + "-" + steps + (restarts > 1 ? "x" + restarts : "");
    }

    /** APGD-T needs 4 classes (its targeted DLR loss reads the 4th-largest logit), the DLR loss 3. */
    @Override
    public String unsupportedReason(AttackTarget target) {
        int kc = target.numClasses();
        int need = targeted() ? 4 : "dlr".equals(loss) ? 3 : 2;
        if (kc < need) {
            return name() + " needs at least " + need + " classes (the " + loss + " loss"
                    + (targeted() ? " uses the 4th-largest logit" : "") + "); the model has " + kc;
        }
        return null;
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    protected AttackResult attackBatch(AttackTarget target, float[] x, int[] labels, int n, long seed) {
        GradientTarget g = gradients(target);
        int kc = target.numClasses();
        String unsupported = unsupportedReason(target);
        if (unsupported != null) {
            throw new IllegalArgumentException(unsupported);
        }
        int len = target.exampleLength();
        float[] clean = logits(target, x, n);
        float[] best = Arrays.copyOf(x, n * len);
        float[] bestLoss = new float[n];
        Arrays.fill(bestLoss, Float.NEGATIVE_INFINITY);
        int[] pred = Scores.predictions(clean, n, kc);
        boolean[] broken = new boolean[n];
        for (int i = 0; i < n; i++) {
            broken[i] = pred[i] != labels[i];
        }
        int[] iterations = new int[n];
        SplittableRandom rng = new SplittableRandom(seed);
        int targets = targeted() ? Math.min(numTargetClasses, kc - 1) : 1;
        for (int rank = 2; rank < 2 + targets; rank++) {
            for (int r = 0; r < restarts; r++) {
                int[] idx = Batches.where(Pgd.negate(broken));
                if (idx.length == 0) {
                    break;
                }
                int[] targetLabels = targeted() ? Scores.classesAtRank(clean, idx, kc, rank) : null;
                float[] xs = Batches.gather(x, idx, len);
                int[] ys = Batches.gather(labels, idx);
                LossInputs in = LossInputs.of(loss, target, xs, ys, idx.length, targetLabels);
                Run run = new Run(g, xs, in, idx.length, rng.split());
                run.execute();
                for (int k = 0; k < idx.length; k++) {
                    int i = idx[k];
                    iterations[i] += run.iterations[k];
                    if (run.broken[k]) {
                        Batches.copyExample(run.bestAdv, k, best, i, len);
                        broken[i] = true;
                        pred[i] = run.advPred[k];
                    } else if (run.lossBest[k] > bestLoss[i]) {
                        Batches.copyExample(run.xBest, k, best, i, len);
                        bestLoss[i] = run.lossBest[k];
                    }
                }
            }
        }
        // predictions of the robust examples' best-loss points (the runs saw them, but not necessarily last)
        int[] robust = Batches.where(Pgd.negate(broken));
        if (robust.length > 0) {
            float[] z = logits(target, Batches.gather(best, robust, len), robust.length);
            for (int k = 0; k < robust.length; k++) {
                pred[robust[k]] = Scores.argmax(z, k, kc);
            }
        }
        return new AttackResult(best, pred, iterations);
    }

    /** One APGD run on a sub-batch; per-example state so that examples can leave the batch. */
    private final class Run {
        private final GradientTarget g;
        private final float[] xs;
        private final LossInputs in;
        private final int m;
        private final int len;
        private final int kc;
        private final float[] bounds;
        private final SplittableRandom rng;
        final float[] xBest;
        final float[] bestAdv;
        final float[] lossBest;
        final boolean[] broken;
        final int[] advPred;
        final int[] iterations;

        Run(GradientTarget g, float[] xs, LossInputs in, int m, SplittableRandom rng) {
            this.g = g;
            this.xs = xs;
            this.in = in;
            this.m = m;
            this.len = g.exampleLength();
            this.kc = g.numClasses();
            this.bounds = g.inputBounds();
            this.rng = rng;
            this.xBest = new float[m * len];
            this.bestAdv = new float[m * len];
            this.lossBest = new float[m];
            this.broken = new boolean[m];
            this.advPred = new int[m];
            this.iterations = new int[m];
        }

        void execute() {
            float[] adv = ThreatModelMath.randomStart(xs, m, len, norm, epsilon, bounds, rng);
            float[] grad = new float[m * len];
            float[] lossNow = new float[m];
            int[] all = Batches.range(m);
            evaluate(adv, all, grad, lossNow);
            System.arraycopy(adv, 0, xBest, 0, m * len);
            System.arraycopy(lossNow, 0, lossBest, 0, m);
            float[] gradBest = Arrays.copyOf(grad, m * len);
            float[] xOld = Arrays.copyOf(adv, m * len);
            double[] step = new double[m];
            Arrays.fill(step, 2 * epsilon);
            float[] lossPrev = Arrays.copyOf(lossNow, m);
            int[] increases = new int[m];
            float[] lossBestLastCheck = Arrays.copyOf(lossBest, m);
            boolean[] reducedLastCheck = new boolean[m];
            Arrays.fill(reducedLastCheck, true);
            int window = Math.max((int) (0.22 * steps), 1);
            int minWindow = Math.max((int) (0.06 * steps), 1);
            int decrease = Math.max((int) (0.03 * steps), 1);
            int sinceCheck = 0;
            for (int it = 0; it < steps; it++) {
                int[] act = earlyStop ? Batches.where(Pgd.negate(broken)) : all;
                if (act.length == 0) {
                    return;
                }
                int a = act.length;
                float[] xa = Batches.gather(adv, act, len);
                float[] xc = Batches.gather(xs, act, len);
                float[] ga = Batches.gather(grad, act, len);
                double[] sa = new double[a];
                for (int k = 0; k < a; k++) {
                    sa[k] = step[act[k]];
                }
                float[] z = Arrays.copyOf(xa, xa.length);
                ThreatModelMath.ascentStep(z, ga, a, len, norm, sa);
                ThreatModelMath.project(z, xc, a, len, norm, epsilon, bounds);
                double mom = it > 0 ? MOMENTUM : 1.0;
                float[] next = new float[a * len];
                for (int k = 0; k < a; k++) {
                    int off = k * len;
                    int src = act[k] * len;
                    for (int j = 0; j < len; j++) {
                        float cur = xa[off + j];
                        next[off + j] = (float) (cur + mom * (z[off + j] - cur) + (1 - mom) * (cur - xOld[src + j]));
                    }
                }
                ThreatModelMath.project(next, xc, a, len, norm, epsilon, bounds);
                Batches.scatter(xa, act, xOld, len);
                Batches.scatter(next, act, adv, len);
                evaluate(adv, act, grad, lossNow);
                for (int i : act) {
                    iterations[i]++;
                    if (lossNow[i] > lossBest[i]) {
                        lossBest[i] = lossNow[i];
                        Batches.copyExample(adv, i, xBest, i, len);
                        Batches.copyExample(grad, i, gradBest, i, len);
                    }
                    if (lossNow[i] > lossPrev[i]) {
                        increases[i]++;
                    }
                    lossPrev[i] = lossNow[i];
                }
                if (++sinceCheck == window) {
                    for (int i : act) {
                        boolean oscillating = increases[i] <= window * RHO;
                        boolean stalled = !reducedLastCheck[i] && lossBestLastCheck[i] >= lossBest[i];
                        boolean reduce = oscillating || stalled;
                        reducedLastCheck[i] = reduce;
                        lossBestLastCheck[i] = lossBest[i];
                        increases[i] = 0;
                        if (reduce) {
                            step[i] /= 2;
                            Batches.copyExample(xBest, i, adv, i, len);
                            Batches.copyExample(gradBest, i, grad, i, len);
                        }
                    }
                    window = Math.max(window - decrease, minWindow);
                    sinceCheck = 0;
                }
            }
        }

        /** Gradient, loss and predictions at the examples {@code act} of {@code adv}; records misclassified points. */
        private void evaluate(float[] adv, int[] act, float[] grad, float[] lossNow) {
            int a = act.length;
            float[] xa = Batches.gather(adv, act, len);
            float[] ga = new float[a * len];
            float[] la = new float[a];
            float[] za = new float[a * kc];
            g.lossGradient(loss, xa, a, in.targets(act), ga, la, za);
            Batches.scatter(ga, act, grad, len);
            for (int k = 0; k < a; k++) {
                int i = act[k];
                lossNow[i] = la[k];
                int p = Scores.argmax(za, k, kc);
                if (!broken[i] && p != in.label(i)) {
                    broken[i] = true;
                    advPred[i] = p;
                    Batches.copyExample(xa, k, bestAdv, i, len);
                }
            }
        }
    }
}
