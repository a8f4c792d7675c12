package org.widerobust.plugin.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.network.LossTargets;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackResult;
import org.widerobust.plugin.attack.AttackTarget;
import org.widerobust.plugin.attack.GradientTarget;
import org.widerobust.plugin.attack.Norm;

/**
 * One pass of the evaluation over dense data, batch by batch: clean predictions, each attack on every point,
 * the worst case per point, sanity observations and the optional Lipschitz estimate. Orchestration only; the
 * arithmetic lives in {@link RobustnessMetrics}.
 *
 * <p>The accounting: every attack is run against each point's clean prediction ŷ. A point is stable under an
 * attack when the adversarial prediction is still ŷ, and robust when it is stable and ŷ is its label, so a point
 * misclassified on its clean input is robust under no attack, and robust accuracy never exceeds natural accuracy
 * or stability. Each point's saved example witnesses the figure: the adversarial example of a point classified
 * correctly, the clean input of one that is not; the accuracy of the saved examples is the reported robust
 * accuracy, per attack and in the worst case. The worst-case stability is the share of points no attack moved
 * off ŷ.
 */
final class EvaluationRun {
    /** What the run found, before it is wrapped into a {@link RobustnessEvaluation}. */
    record Outcome(double naturalAccuracy, double robustAccuracy, double stability, double lipschitzMean,
                   List<AttackSummary> summaries, PerturbationStats perturbations, long queries, double seconds,
                   double zeroGradientFraction, boolean probabilityOutputs, double rerunDifference,
                   AdversarialExamples examples, float[] adversarialScores) {}

    private final AttackTarget target;
    private final DenseDataset data;
    private final List<Attack> attacks;
    private final int batchSize;
    private final long seed;
    private final LipschitzEstimator lipschitz;
    private final boolean sanityChecks;
    private final EvaluationListener listener;
    private final boolean keepPerAttackExamples;

    EvaluationRun(AttackTarget target, DenseDataset data, List<Attack> attacks, int batchSize, long seed,
                  LipschitzEstimator lipschitz, boolean sanityChecks, EvaluationListener listener,
                  boolean keepPerAttackExamples) {
        this.keepPerAttackExamples = keepPerAttackExamples;
        this.target = target;
        this.data = data;
        this.attacks = attacks;
        this.batchSize = batchSize;
        this.seed = seed;
        this.lipschitz = lipschitz;
        this.sanityChecks = sanityChecks;
        this.listener = listener;
    }

    Outcome run() {
        long t0 = System.nanoTime();
        int total = data.size();
        int len = data.exampleLength();
        int k = target.numClasses();
        int na = attacks.size();
        float[] bounds = target.inputBounds();
        GradientTarget grads = target instanceof GradientTarget g ? g : null;

        int[] labels = data.labels();
        int[] cleanPred = new int[total];
        int[] worstPred = new int[total];
        float[] worstX = new float[total * len];
        float[] worstScores = new float[total * k];
        String[] brokenBy = new String[total];
        boolean[] unstable = new boolean[total];
        int[][] attackPred = new int[na][total];
        // every point's own adversarial example per attack, misclassified points included: the witnesses of
        // stability, from which the witnesses of robust accuracy are derived (AdversarialExamples.PerAttack)
        int[][] attackAdvPred = new int[na][total];
        float[][] attackAdvX = keepPerAttackExamples ? new float[na][total * len] : null;
        int[] movedPred = new int[total];
        float[] movedX = keepPerAttackExamples ? new float[total * len] : null;
        int[] attackCorrect = new int[na];
        int[] attackStable = new int[na];
        int[] attackOutside = new int[na];
        long[] attackQueries = new long[na];
        long[] attackNanos = new long[na];
        int zeroGrad = 0;
        boolean probabilities = true;
        double rerunDifference = 0;
        double lipSum = 0;
        int lipCount = 0;

        long units = (long) total * (na + 1 + (lipschitz != null && grads != null ? 1 : 0));
        listener.started(units);
        try {
            int batchIndex = 0;
            for (int from = 0; from < total; from += batchSize, batchIndex++) {
                int n = Math.min(batchSize, total - from);
                float[] x = new float[n * len];
                data.copyBatch(from, from + n, x);
                int[] y = Arrays.copyOfRange(labels, from, from + n);

                float[] clean = new float[n * k];
                target.logits(x, n, clean);
                NonFiniteOutputException.check(clean, n, k, from, "on the clean inputs");
                int[] cp = RobustnessMetrics.argmax(clean, n, k);
                System.arraycopy(cp, 0, cleanPred, from, n);
                probabilities &= RobustnessMetrics.looksLikeProbabilities(clean, n, k, 1e-3);
                if (sanityChecks && batchIndex == 0) {
                    float[] again = new float[n * k];
                    target.logits(x, n, again);
                    rerunDifference = RobustnessMetrics.maxAbsDifference(clean, again, n * k);
                }
                if (sanityChecks && grads != null) {
                    float[] g = new float[n * len];
                    grads.lossGradient("ce", x, n, LossTargets.labels(y), g, null, null);
                    zeroGrad += RobustnessMetrics.zeroGradientRows(g, n, len);
                }
                for (int i = 0; i < n; i++) {
                    brokenBy[from + i] = cp[i] == y[i] ? null : "clean";
                }
                System.arraycopy(x, 0, worstX, from * len, n * len);
                System.arraycopy(clean, 0, worstScores, from * k, n * k);
                System.arraycopy(cp, 0, worstPred, from, n);
                System.arraycopy(cp, 0, movedPred, from, n); // with no attack, every point keeps its clean input
                if (movedX != null) {
                    System.arraycopy(x, 0, movedX, from * len, n * len);
                }
                listener.advanced(n, "clean");

                float[] scores = new float[n * k];
                for (int a = 0; a < na; a++) {
                    Attack attack = attacks.get(a);
                    long q0 = target.queries();
                    long s0 = System.nanoTime();
                    // the attack is run against the clean prediction: it decides stability for every point and,
                    // on the points classified correctly (prediction == label), robustness
                    AttackResult r = attack.attack(target, x, cp, n, seed + 1_000_003L * batchIndex + 7919L * a);
                    attackNanos[a] += System.nanoTime() - s0;
                    attackQueries[a] += target.queries() - q0;
                    float[] adv = r.adversarial();
                    target.logits(adv, n, scores);
                    NonFiniteOutputException.check(scores, n, k, from, "under " + attack.name());
                    int[] ap = RobustnessMetrics.argmax(scores, n, k);
                    for (int i = 0; i < n; i++) {
                        int gi = from + i;
                        if (!RobustnessMetrics.inThreatModel(x, adv, i * len, len, attack.epsilon(),
                                attack.norm() == Norm.LINF, bounds)) {
                            attackOutside[a]++;
                        }
                        boolean cleanCorrect = cp[i] == y[i];
                        boolean stable = ap[i] == cp[i];
                        attackAdvPred[a][gi] = ap[i];
                        if (attackAdvX != null) {
                            System.arraycopy(adv, i * len, attackAdvX[a], gi * len, len);
                        }
                        if (a == 0 || !unstable[gi] && !stable) { // the first attack's, then the first that moved it
                            movedPred[gi] = ap[i];
                            if (movedX != null) {
                                System.arraycopy(adv, i * len, movedX, gi * len, len);
                            }
                        }
                        if (cleanCorrect && stable) {
                            attackCorrect[a]++;
                        }
                        if (stable) {
                            attackStable[a]++;
                        } else {
                            unstable[gi] = true;
                        }
                        // the saved example witnesses the figure: a point misclassified clean keeps its clean input
                        attackPred[a][gi] = cleanCorrect ? ap[i] : cp[i];
                        if (!cleanCorrect) {
                            continue;
                        }
                        boolean newlyBroken = brokenBy[gi] == null && !stable;
                        if (a == 0 || newlyBroken) {
                            System.arraycopy(adv, i * len, worstX, gi * len, len);
                            System.arraycopy(scores, i * k, worstScores, gi * k, k);
                            worstPred[gi] = ap[i];
                        }
                        if (newlyBroken) {
                            brokenBy[gi] = attack.name();
                        }
                    }
                    listener.advanced(n, attack.name());
                }
                if (lipschitz != null && grads != null) {
                    double[] ratios = lipschitz.estimate(grads, x, clean, y, n, seed + 31L * batchIndex);
                    for (double v : ratios) {
                        if (!Double.isNaN(v)) {
                            lipSum += v;
                            lipCount++;
                        }
                    }
                    listener.advanced(n, "lipschitz");
                }
            }
        } finally {
            listener.finished();
        }

        int correct = 0;
        int robust = 0;
        for (int i = 0; i < total; i++) {
            if (cleanPred[i] == labels[i]) {
                correct++;
            }
            if (brokenBy[i] == null) {
                robust++;
            }
        }
        int stable = 0;
        for (boolean u : unstable) {
            stable += u ? 0 : 1;
        }
        double[] norms = new double[4];
        float[] all = data.data();
        for (int i = 0; i < total; i++) {
            double li = RobustnessMetrics.linfDistance(all, worstX, i * len, len);
            double l2 = RobustnessMetrics.l2Distance(all, worstX, i * len, len);
            norms[0] += li;
            norms[1] = Math.max(norms[1], li);
            norms[2] += l2;
            norms[3] = Math.max(norms[3], l2);
        }
        double d = Math.max(total, 1);
        PerturbationStats ps = new PerturbationStats(norms[0] / d, norms[1], norms[2] / d, norms[3]);
        List<AttackSummary> summaries = new ArrayList<>();
        long queries = 0;
        java.util.Map<String, AdversarialExamples.PerAttack> perAttack = new java.util.LinkedHashMap<>();
        for (int a = 0; a < na; a++) {
            Attack attack = attacks.get(a);
            // an attack listed twice gets its own key: name, name#2, ...
            String key = attack.name();
            for (int c = 2; perAttack.containsKey(key); c++) {
                key = attack.name() + "#" + c;
            }
            summaries.add(new AttackSummary(key, attack.needsGradients(), attackCorrect[a] / d,
                    attackStable[a] / d, attackQueries[a], attackNanos[a] / 1e9, attackOutside[a]));
            perAttack.put(key, new AdversarialExamples.PerAttack(attackPred[a], new AdversarialExamples.Stability(
                    attackAdvX == null ? null : attackAdvX[a], attackAdvPred[a]), data.data(), labels, cleanPred));
            queries += attackQueries[a];
        }
        AdversarialExamples ex = new AdversarialExamples(worstX, data.exampleShape(), labels, cleanPred, worstPred,
                brokenBy, data.labelNames(), perAttack, new AdversarialExamples.Stability(movedX, movedPred));
        double lip = lipschitz != null && grads != null && lipCount > 0 ? lipSum / lipCount : Double.NaN;
        double zgf = sanityChecks && grads != null ? zeroGrad / d : Double.NaN;
        return new Outcome(correct / d, robust / d, stable / d, lip, summaries, ps, queries,
                (System.nanoTime() - t0) / 1e9, zgf, probabilities && total > 0, rerunDifference, ex, worstScores);
    }
}
