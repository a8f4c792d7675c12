package org.widerobust.plugin.eval;

/**
 * One attack's result over the whole data, run on its own (not only on the points earlier attacks left).
 *
 * @param name           the attack's short name
 * @param whiteBox       whether it used gradients
 * @param robustAccuracy share of points still classified correctly under the attack
 * @param stability      share of points whose predicted class under the attack equals the clean prediction
 * @param queries        model evaluations (forward or gradient passes, per example) the attack spent
 * @param seconds        wall time of the attack
 * @param outsideThreatModel points whose adversarial example left the ε-ball or the input box (should be 0)
 */
public record AttackSummary(String name, boolean whiteBox, double robustAccuracy, double stability, long queries,
                            double seconds, int outsideThreatModel) {}
