package org.widerobust.plugin.eval;

import java.util.List;

/**
 * The worst-case adversarial example of every point, as the evaluation found it.
 *
 * @param data              {@code [n * exampleLength]}, C order, same layout as the clean data
 * @param exampleShape      shape of one example
 * @param labels            true label indices
 * @param cleanPredictions  predicted class of each clean point
 * @param predictions       predicted class of each adversarial example
 * @param brokenBy          per point: the first attack that made it misclassified, {@code "clean"} if it was
 *                          misclassified without attack, or null if it withstood every attack
 * @param labelNames        class names by index
 */
public record AdversarialExamples(float[] data, long[] exampleShape, int[] labels, int[] cleanPredictions,
                                  int[] predictions, String[] brokenBy, List<String> labelNames) {
    /** Number of points. */
    public int size() {
        return labels.length;
    }
}
