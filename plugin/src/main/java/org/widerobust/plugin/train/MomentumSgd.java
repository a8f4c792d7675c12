package org.widerobust.plugin.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.widerobust.adapters.network.ParameterGradients;
import org.widerobust.adapters.network.ParameterStore;

/**
 * SGD with momentum and weight decay exactly as {@link org.widerobust.adapters.network.SgdMomentum} and PyTorch's
 * {@code torch.optim.SGD} ({@code v = μ v + (g + wd w); w -= lr v}), with the velocity exposed so that checkpoints
 * can save and restore it.
 */
public final class MomentumSgd {
    private final float momentum;
    private final float weightDecay;
    private final Map<String, FloatBuffer> velocity = new LinkedHashMap<>();

    /** Zero velocity for every parameter of {@code store}. */
    public MomentumSgd(ParameterStore store, double momentum, double weightDecay) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        for (String p : store.names()) {
            int n = store.buffer(p).capacity();
            velocity.put(p, ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer());
        }
    }

    /** The live velocity buffer of a parameter (position 0). */
    public FloatBuffer velocity(String parameter) {
        FloatBuffer v = velocity.get(parameter);
        if (v == null) {
            throw new IllegalArgumentException("no velocity for parameter '" + parameter + "'");
        }
        return v.duplicate().clear();
    }

    /** One step with rate {@code lr} from the gradients of the last {@link ParameterGradients#compute}. */
    public void step(ParameterGradients grads, double lr) {
        ParameterStore store = grads.store();
        float mu = momentum;
        float wd = weightDecay;
        float rate = (float) lr;
        for (var e : velocity.entrySet()) {
            FloatBuffer w = store.buffer(e.getKey());
            FloatBuffer g = grads.gradient(e.getKey());
            FloatBuffer v = e.getValue();
            int n = v.capacity();
            for (int i = 0; i < n; i++) {
                float wi = w.get(i);
                float vi = mu * v.get(i) + g.get(i) + wd * wi;
                v.put(i, vi);
                w.put(i, wi - rate * vi);
            }
        }
    }
}
