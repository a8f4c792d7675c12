package org.widerobust.plugin.attack;

import org.widerobust.adapters.network.LossTargets;
import org.widerobust.adapters.network.NetworkSession;

/** A {@link GradientTarget} over a network running on the engine (built, trained or imported). */
public final class NetworkTarget implements GradientTarget {
    private final NetworkSession session;
    private long queries;

    public NetworkTarget(NetworkSession session) {
        this.session = session;
    }

    public NetworkSession session() {
        return session;
    }

    @Override
    public long[] exampleShape() {
        return session.network().exampleShape();
    }

    @Override
    public int exampleLength() {
        return session.exampleLength();
    }

    @Override
    public int numClasses() {
        return session.numClasses();
    }

    @Override
    public float[] inputBounds() {
        return session.network().inputBounds();
    }

    @Override
    public void logits(float[] x, int n, float[] out) {
        session.logits(x, n, out);
        queries += n;
    }

    @Override
    public void lossGradient(String loss, float[] x, int n, LossTargets targets, float[] gradOut, float[] lossOut,
                             float[] logitsOut) {
        session.lossGradient(loss, x, n, targets, gradOut, lossOut, logitsOut);
        queries += n;
    }

    @Override
    public long queries() {
        return queries;
    }
}
