package org.widerobust.plugin.attack;

import org.widerobust.adapters.network.LossTargets;
import org.widerobust.adapters.network.NetworkSession;

/** A {@link GradientTarget} over a network running on the engine (built, trained or imported). */
public final class NetworkTarget extends SessionTarget implements GradientTarget {
    public NetworkTarget(NetworkSession session) {
        super(session);
    }

    @Override
    public void lossGradient(String loss, float[] x, int n, LossTargets targets, float[] gradOut, float[] lossOut,
                             float[] logitsOut) {
        session().lossGradient(loss, x, n, targets, gradOut, lossOut, logitsOut);
        counted(n);
    }
}
