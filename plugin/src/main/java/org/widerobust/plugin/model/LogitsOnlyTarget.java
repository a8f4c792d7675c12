package org.widerobust.plugin.model;

import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.plugin.attack.AttackTarget;

/**
 * An ONNX network attacked as a black box because its input gradient cannot be built: it offers only logits
 * (score-based attacks such as Square still run), and no sanity check ever asks it for a gradient.
 */
final class LogitsOnlyTarget implements AttackTarget {
    private final NetworkSession session;
    private long queries;

    LogitsOnlyTarget(NetworkSession session) {
        this.session = session;
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
    public long queries() {
        return queries;
    }
}
