package org.widerobust.plugin.attack;

/**
 * The outcome of an attack on a batch.
 *
 * @param adversarial the perturbed inputs {@code [n * exampleLength]}, inside the ε-ball and the input box
 * @param predictions predicted class of each perturbed input
 * @param iterations  attack iterations (gradient or query steps) spent on each example
 */
public record AttackResult(float[] adversarial, int[] predictions, int[] iterations) {
    /** Whether each example is still classified as its label. */
    public boolean[] robust(int[] labels) {
        boolean[] r = new boolean[predictions.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = predictions[i] == labels[i];
        }
        return r;
    }

    /** How many examples are still classified as their label. */
    public int robustCount(int[] labels) {
        int c = 0;
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] == labels[i]) {
                c++;
            }
        }
        return c;
    }

    /** The fraction of examples still classified as their label. */
    public double robustAccuracy(int[] labels) {
        return predictions.length == 0 ? 0 : robustCount(labels) / (double) predictions.length;
    }
}
