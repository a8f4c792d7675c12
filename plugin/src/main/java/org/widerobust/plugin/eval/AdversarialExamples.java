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
     * One attack's examples.
     *
     * @param data        {@code [n * exampleLength]}, or null when the evaluation did not keep them
     *                    ({@code RobustnessEvaluator.perAttackExamples})
     * @param predictions predicted class of each example
     * @param stability   the attack's own example of every point, without the clean input put in for
     *                    misclassified points: the share of its predictions equal to the clean predictions is the
     *                    attack's perturbation stability
     */
    public record PerAttack(float[] data, int[] predictions, Stability stability) {}

    /**
     * Examples whose predictions give a perturbation stability: the share of {@code predictions} equal to the clean
     * predictions.
     *
     * @param data        {@code [n * exampleLength]}, or null when the evaluation did not keep them
     * @param predictions predicted class of each example
     */
    public record Stability(float[] data, int[] predictions) {
        /** The share of {@code predictions} equal to {@code cleanPredictions}. */
        public double of(int[] cleanPredictions) {
            int same = 0;
            for (int i = 0; i < predictions.length; i++) {
                same += predictions[i] == cleanPredictions[i] ? 1 : 0;
            }
            return predictions.length == 0 ? 0 : same / (double) predictions.length;
        }
    }

    /** Number of points. */
    public int size() {
        return labels.length;
    }
}
