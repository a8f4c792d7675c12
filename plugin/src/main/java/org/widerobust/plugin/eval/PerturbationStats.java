package org.widerobust.plugin.eval;

/**
 * Size of the worst-case perturbations {@code x' - x} over all points: for a point some attack broke, the first
 * breaking attack's example; for a robust point, the first attack's; for a point misclassified without attack, 0
 * (its saved example is its clean input).
 *
 * @param meanLinf mean L∞ norm
 * @param maxLinf  largest L∞ norm
 * @param meanL2   mean L2 norm
 * @param maxL2    largest L2 norm
 */
public record PerturbationStats(double meanLinf, double maxLinf, double meanL2, double maxL2) {}
