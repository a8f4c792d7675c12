package org.widerobust.plugin.eval;

/**
 * One attack's result over the whole data, run on its own (not only on the points earlier attacks left).
 *
 * @param name           the attack's short name, which names its budget ({@code pgd-20}); {@code #2}, {@code #3}…
 *                       appended when the same attack is listed again
 * @param whiteBox       whether it used gradients
 * @param robustAccuracy share of points classified correctly whose prediction the attack did not change (a point
 *                       misclassified on its clean input is not robust), the accuracy of its saved examples
 * @param stability      share of points whose predicted class under the attack (run against the clean prediction)
 *                       equals the clean prediction
 * @param queries        model evaluations (forward or gradient passes, per example) the attack spent
 * @param seconds        wall time of the attack
 * @param outsideThreatModel points whose adversarial example left the ε-ball or the input box (should be 0)
 */
public record AttackSummary(String name, boolean whiteBox, double robustAccuracy, double stability, long queries,
                            double seconds, int outsideThreatModel) {}
