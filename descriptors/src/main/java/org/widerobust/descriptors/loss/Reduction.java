package org.widerobust.descriptors.loss;

/** How per-example losses become the scalar that is differentiated. */
public enum Reduction {
    /** Sum over the batch: each example's gradient is independent of the batch size (attacks). */
    SUM,
    /** Mean over the batch (training). */
    MEAN
}
