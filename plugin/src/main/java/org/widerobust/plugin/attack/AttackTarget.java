package org.widerobust.plugin.attack;

/** A classifier as a score-based (black-box) attack sees it: logits of dense examples, nothing else. */
public interface AttackTarget {
    /** The shape of one example, without the batch dimension. */
    long[] exampleShape();

    /** Floats per example. */
    int exampleLength();

    int numClasses();

    /** The valid input box {@code [min, max]}. */
    float[] inputBounds();

    /** Scores {@code [n, K]} (logits, or whatever the model outputs) of {@code n} examples stored contiguously in x. */
    void logits(float[] x, int n, float[] out);

    /** Examples evaluated so far (each forward example counts once; gradient passes count too). */
    long queries();
}
