package org.widerobust.plugin.attack;

import org.widerobust.adapters.network.LossTargets;

/**
 * What an attack loss is measured against for a whole batch (labels, and for {@code kl} the clean-prediction
 * probabilities, for {@code dlr-targeted} the target classes), sliced to compacted sub-batches on demand.
 */
final class LossInputs {
    private final int[] labels;
    private final float[] probs;
    private final int[] targets;
    private final int numClasses;

    private LossInputs(int[] labels, float[] probs, int[] targets, int numClasses) {
        this.labels = labels;
        this.probs = probs;
        this.targets = targets;
        this.numClasses = numClasses;
    }

    /** The inputs of {@code loss} for {@code n} examples {@code x}; computes clean logits only for {@code kl}. */
    static LossInputs of(String loss, AttackTarget target, float[] x, int[] labels, int n, int[] targetLabels) {
        int k = target.numClasses();
        float[] probs = null;
        if ("kl".equals(loss)) {
            probs = Scores.softmax(AbstractAttack.logits(target, x, n), n, k);
        }
        return new LossInputs(labels, probs, targetLabels, k);
    }

    int label(int i) {
        return labels[i];
    }

    /** The sub-batch of examples {@code idx}. */
    LossInputs slice(int[] idx) {
        float[] p = probs == null ? null : Batches.gather(probs, idx, numClasses);
        return new LossInputs(Batches.gather(labels, idx), p, Batches.gather(targets, idx), numClasses);
    }

    LossTargets toTargets() {
        return new LossTargets(labels, probs, targets);
    }

    /** Targets of the sub-batch {@code idx}. */
    LossTargets targets(int[] idx) {
        return slice(idx).toTargets();
    }
}
