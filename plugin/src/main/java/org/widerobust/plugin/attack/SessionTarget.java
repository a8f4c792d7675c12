package org.widerobust.plugin.attack;

import org.widerobust.adapters.network.NetworkSession;

/**
 * An {@link AttackTarget} over a network running on the engine that offers only its logits: what score-based
 * attacks (Square) need, and all a network offers whose input gradient cannot be built. {@link NetworkTarget} adds
 * the gradients.
 */
public class SessionTarget implements AttackTarget {
    private final NetworkSession session;
    private long queries;

    public SessionTarget(NetworkSession session) {
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

    /** Counts {@code n} more examples run through the network. */
    protected void counted(int n) {
        queries += n;
    }

    @Override
    public long queries() {
        return queries;
    }
}
