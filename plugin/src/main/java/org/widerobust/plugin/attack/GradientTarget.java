package org.widerobust.plugin.attack;

import org.widerobust.adapters.network.LossTargets;

/** A classifier whose input gradients are available (white-box). */
public interface GradientTarget extends AttackTarget {
    /**
     * In one run: the input gradient of the batch-summed {@code loss} ({@code ce}, {@code kl}, {@code cw}, {@code dlr},
     * {@code dlr-targeted}), the per-example loss and the logits. Output arrays may be null when not wanted.
     */
    void lossGradient(String loss, float[] x, int n, LossTargets targets, float[] gradOut, float[] lossOut,
                      float[] logitsOut);
}
