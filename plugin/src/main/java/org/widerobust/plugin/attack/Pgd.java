package org.widerobust.plugin.attack;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Projected gradient ascent (Madry et al. 2018) on a loss ({@code ce}, {@code kl}, {@code cw}, {@code dlr}) under an
 * L∞ or L2 threat model: {@code x_{t+1} = P_{ball∩box}(x_t + α·s(∇))} with {@code s} the sign (L∞) or the
 * L2-normalised gradient (L2), returning the last iterate.
 *
 * <p>Per example the result is the first misclassified iterate, else the last iterate. With random start and early
 * stop off the trajectory is exactly the classic recipe (PyTorch's reference PGD), which returns the last iterate
 * even where an earlier one was misclassified; keeping that earlier witness is what makes early stop a pure time
 * saving: with early stop, examples whose current iterate is misclassified are frozen and dropped from the
 * following gradient calls, and every reported point and prediction is the same as without it. Adversarial
 * training ({@link #adversarialTraining}) asks for the last iterate instead.
 * With several restarts, each restart re-attacks only the still-robust examples and the worst case is kept
 * (a misclassified point beats a correct one; among correct ones the higher loss).
 */
public final class Pgd extends AbstractAttack {
    @Config(description = "Gradient steps per restart (>= 1).")
    private int steps = 20;

    @Config(description = "Step size α (> 0); 0 means the default 2.5·ε/steps, which the provenance then records.")
    private double stepSize = 0;

    @Config(description = "Independent runs; the worst case per example is kept (>= 1).")
    private int restarts = 1;

    @Config(description = "Start each run at a point drawn uniformly from the ε-ball.")
    private boolean randomStart = true;

    @Config(description = "Stop updating an example as soon as it is misclassified.")
    private boolean earlyStop = true;

    @Config(description = "Loss to maximise: ce, kl, cw or dlr.")
    private String loss = "ce";

    @Config(description = "Return the last iterate even where an earlier one was misclassified (adversarial "
            + "training's inner maximisation; evaluation keeps the first misclassified iterate as its witness).")
    private boolean lastIterate = false;

    /** For OLCUT: set the {@code @Config} fields, then {@link #postConfig()} validates them. */
    public Pgd() {}

    /** PGD with random start, early stop, one restart. {@code stepSize} 0 picks 2.5·ε/steps. */
    public Pgd(double epsilon, Norm norm, int steps, double stepSize, String loss) {
        this(epsilon, norm, steps, stepSize, 1, true, true, loss);
    }

    public Pgd(double epsilon, Norm norm, int steps, double stepSize, int restarts, boolean randomStart,
               boolean earlyStop, String loss) {
        super(epsilon, norm);
        this.steps = steps;
        this.stepSize = stepSize;
        this.restarts = restarts;
        this.randomStart = randomStart;
        this.earlyStop = earlyStop;
        this.loss = loss;
        postConfig();
    }

    /**
     * The inner maximisation of PGD adversarial training (Madry et al. 2018): L∞, cross-entropy, random start, no
     * early stop, and the last iterate (the highest-loss point of the trajectory) rather than the first
     * misclassified one.
     */
    public static Pgd adversarialTraining(double epsilon, int steps, double stepSize) {
        Pgd p = new Pgd(epsilon, Norm.LINF, steps, stepSize, 1, true, false, "ce");
        p.lastIterate = true;
        return p;
    }

    /** The classic recipe: L∞, cross-entropy, sign steps, no random start, no early stop. */
    public static Pgd classic(double epsilon, int steps, double stepSize) {
        return new Pgd(epsilon, Norm.LINF, steps, stepSize, 1, false, false, "ce");
    }

    @Override
    public void postConfig() {
        super.postConfig();
        checkAtLeast("steps", steps, 1);
        checkAtLeast("restarts", restarts, 1);
        if (restarts > 1 && !randomStart) {
            throw new PropertyException("", "restarts", restarts + " restarts without a random start would repeat "
                    + "the same attack from the clean point; set randomStart or one restart");
        }
        if (stepSize != 0) {
            checkPositive("stepSize", stepSize);
        } else {
            stepSize = 2.5 * epsilon / steps; // the provenance records the step that runs, not the 0 that chose it
        }
        if (loss == null || !UNTARGETED_LOSSES.contains(loss)) {
            throw new PropertyException("", "loss", "unknown loss '" + loss + "'; use one of " + UNTARGETED_LOSSES);
        }
    }

    /** E.g. {@code pgd-20}, {@code pgd-cw-20}; with restarts {@code pgd-20x5} (5 restarts of 20 steps). */
    @Override
    public String name() {
        return ("ce".equals(loss) ? "pgd-" : "pgd-" + loss + "-") + steps + (restarts > 1 ? "x" + restarts : "");
    }

    /** The DLR loss needs 3 classes (it reads the 3rd-largest logit). */
    @Override
    public String unsupportedReason(AttackTarget target) {
        return "dlr".equals(loss) && target.numClasses() < 3
                ? name() + " needs at least 3 classes (the dlr loss); the model has " + target.numClasses() : null;
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    public int steps() {
        return steps;
    }

    /** The step size in use. */
    public double stepSize() {
        return stepSize == 0 ? 2.5 * epsilon / steps : stepSize;
    }

    public String loss() {
        return loss;
    }

    @Override
    protected AttackResult attackBatch(AttackTarget target, float[] x, int[] labels, int n, long seed) {
        GradientTarget g = gradients(target);
        int len = target.exampleLength();
        LossInputs inputs = LossInputs.of(loss, target, x, labels, n, null);
        float[] best = Arrays.copyOf(x, n * len);
        float[] bestLoss = new float[n];
        Arrays.fill(bestLoss, Float.NEGATIVE_INFINITY);
        boolean[] broken = new boolean[n];
        int[] pred = new int[n];
        int[] iterations = new int[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int r = 0; r < restarts; r++) {
            int[] idx = Batches.where(negate(broken));
            if (idx.length == 0) {
                break;
            }
            Run run = run(g, Batches.gather(x, idx, len), inputs.slice(idx), idx.length, rng.split(), restarts > 1);
            for (int k = 0; k < idx.length; k++) {
                int i = idx[k];
                iterations[i] += run.iterations[k];
                boolean miscl = run.pred[k] != labels[i];
                if (r == 0 || miscl || run.loss[k] > bestLoss[i]) {
                    Batches.copyExample(run.adv, k, best, i, len);
                    bestLoss[i] = run.loss[k];
                    pred[i] = run.pred[k];
                    broken[i] = miscl;
                }
            }
        }
        return new AttackResult(best, pred, iterations);
    }

    private record Run(float[] adv, float[] loss, int[] pred, int[] iterations) {}

    /** One run on {@code m} examples; returns the last iterates, their loss (if wanted) and predictions. */
    private Run run(GradientTarget g, float[] xs, LossInputs in, int m, SplittableRandom rng, boolean wantLoss) {
        int len = g.exampleLength();
        int kc = g.numClasses();
        float[] bounds = g.inputBounds();
        float[] adv = randomStart ? ThreatModelMath.randomStart(xs, m, len, norm, epsilon, bounds, rng)
                : Arrays.copyOf(xs, m * len);
        float[] lossOut = new float[m];
        int[] pred = new int[m];
        int[] iterations = new int[m];
        boolean[] frozen = new boolean[m];
        boolean[] found = new boolean[m];
        float[] foundAdv = earlyStop ? null : new float[m * len];
        float[] foundLoss = new float[m];
        int[] foundPred = new int[m];
        double alpha = stepSize();
        for (int t = 0; t <= steps; t++) {
            int[] act = earlyStop ? Batches.where(negate(frozen)) : Batches.range(m);
            if (act.length == 0) {
                break;
            }
            int a = act.length;
            float[] xa = Batches.gather(adv, act, len);
            float[] za = new float[a * kc];
            boolean last = t == steps;
            float[] ga = last ? null : new float[a * len];
            float[] la = new float[a];
            if (last && !wantLoss) {
                g.logits(xa, a, za);
            } else {
                g.lossGradient(loss, xa, a, in.targets(act), ga, la, za);
            }
            double[] alphas = new double[a];
            for (int k = 0; k < a; k++) {
                int i = act[k];
                lossOut[i] = la[k];
                pred[i] = Scores.argmax(za, k, kc);
                if (!found[i] && pred[i] != in.label(i) && (earlyStop || !lastIterate)) {
                    found[i] = true;
                    foundLoss[i] = la[k];
                    foundPred[i] = pred[i];
                    if (foundAdv != null) {
                        System.arraycopy(xa, k * len, foundAdv, i * len, len);
                    }
                }
                if (earlyStop && found[i]) {
                    frozen[i] = true;
                } else if (!last) {
                    alphas[k] = alpha;
                    iterations[i]++;
                }
            }
            if (last) {
                break;
            }
            ThreatModelMath.ascentStep(xa, ga, a, len, norm, alphas);
            ThreatModelMath.project(xa, Batches.gather(xs, act, len), a, len, norm, epsilon, bounds);
            Batches.scatter(xa, act, adv, len);
        }
        for (int i = 0; i < m; i++) {
            if (found[i]) {
                if (foundAdv != null) {
                    Batches.copyExample(foundAdv, i, adv, i, len);
                }
                lossOut[i] = foundLoss[i];
                pred[i] = foundPred[i];
            }
        }
        return new Run(adv, lossOut, pred, iterations);
    }

    static boolean[] negate(boolean[] b) {
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = !b[i];
        }
        return out;
    }
}
