package org.widerobust.plugin.attack;

/**
 * The outcome of an attack on a batch.
 *
 * @param adversarial the perturbed inputs {@code [n * exampleLength]}, inside the ε-ball and the input box
 * @param predictions predicted class of each perturbed input
 * @param iterations  attack iterations (gradient or query steps) spent on each example
 */
public record AttackResult(float[] adversarial, int[] predictions, int[] iterations) {}
