package org.widerobust.plugin.eval;

import java.util.List;
import java.util.Map;

/**
 * The worst-case adversarial example of every point, as the evaluation found it, and each attack's own examples.
 * Every example witnesses the reported figure: the share of {@code predictions} equal to {@code labels} is the
 * worst-case robust accuracy, and the same holds per attack (a point misclassified on its clean input keeps its
 * clean input, which is misclassified).
 *
 * @param data              {@code [n * exampleLength]}, C order, same layout as the clean data
 * @param exampleShape      shape of one example
 * @param labels            true label indices
 * @param cleanPredictions  predicted class of each clean point
 * @param predictions       predicted class of each adversarial example
 * @param brokenBy          per point: the first attack that made it misclassified, {@code "clean"} if it was
 *                          misclassified without attack, or null if it withstood every attack
 * @param labelNames        class names by index
 * @param perAttack         by attack (as in the evaluation's per-attack figures), that attack's examples
 * @param stability         the witnesses of the worst-case perturbation stability: per point, the example that
 *                          moved its prediction off its clean prediction (the first attack's that did), or the first
 *                          attack's example when none did, for every point, classified correctly or not
 */
public record AdversarialExamples(float[] data, long[] exampleShape, int[] labels, int[] cleanPredictions,
                                  int[] predictions, String[] brokenBy, List<String> labelNames,
                                  Map<String, PerAttack> perAttack, Stability stability) {
    /**
     * One attack's examples. Only the attack's own examples are kept ({@link #stability()}); the robust-accuracy
     * witnesses ({@link #data()}) are derived from them on request, so keeping both costs one copy of the data set
     * per attack, not two.
     */
    public static final class PerAttack {
        private final int[] predictions;
        private final Stability stability;
        private final float[] original;
        private final int[] labels;
        private final int[] cleanPredictions;

        /**
         * @param predictions      predicted class of each robust-accuracy witness (the attack's prediction for a
         *                         point classified correctly on its clean input, the clean prediction otherwise)
         * @param stability        the attack's own example and prediction of every point
         * @param original         the clean data, {@code [n * exampleLength]}
         * @param labels           true label indices
         * @param cleanPredictions predicted class of each clean point
         */
        public PerAttack(int[] predictions, Stability stability, float[] original, int[] labels,
                         int[] cleanPredictions) {
            this.predictions = predictions;
            this.stability = stability;
            this.original = original;
            this.labels = labels;
            this.cleanPredictions = cleanPredictions;
        }

        /**
         * The robust-accuracy witnesses, {@code [n * exampleLength]}: the attack's example of each point classified
         * correctly on its clean input, the clean input of the others, so the share classified correctly is the
         * attack's robust accuracy; null when the evaluation did not keep examples
         * ({@code RobustnessEvaluator.withPerAttackExamples}). A new array at every call.
         */
        public float[] data() {
            float[] adv = stability.data();
            if (adv == null) {
                return null;
            }
            int len = adv.length / labels.length;
            float[] out = adv.clone();
            for (int i = 0; i < labels.length; i++) {
                if (cleanPredictions[i] != labels[i]) {
                    System.arraycopy(original, i * len, out, i * len, len);
                }
            }
            return out;
        }

        /** The predicted class of each robust-accuracy witness. */
        public int[] predictions() {
            return predictions;
        }

        /**
         * The attack's own example and prediction of every point, misclassified ones included: the share of
         * predictions equal to the clean predictions is the attack's perturbation stability.
         */
        public Stability stability() {
            return stability;
        }
    }

    /**
     * Examples whose predictions give a perturbation stability: the share of {@code predictions} equal to the clean
     * predictions.
     *
     * @param data        {@code [n * exampleLength]}, or null when the evaluation did not keep them
     * @param predictions predicted class of each example
     */
    public record Stability(float[] data, int[] predictions) {}

    /** Number of points. */
    public int size() {
        return labels.length;
    }
}
