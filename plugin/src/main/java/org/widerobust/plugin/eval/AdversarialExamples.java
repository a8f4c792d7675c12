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
 */
public record AdversarialExamples(float[] data, long[] exampleShape, int[] labels, int[] cleanPredictions,
                                  int[] predictions, String[] brokenBy, List<String> labelNames,
                                  Map<String, PerAttack> perAttack) {
    /**
     * One attack's examples.
     *
     * @param data        {@code [n * exampleLength]}, or null when the evaluation did not keep them
     *                    ({@code RobustnessEvaluator.perAttackExamples})
     * @param predictions predicted class of each example
     */
    public record PerAttack(float[] data, int[] predictions) {}

    /** Number of points. */
    public int size() {
        return labels.length;
    }
}
