package org.widerobust.adapters.network;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum and weight decay, as PyTorch's {@code torch.optim.SGD} (dampening 0):
 * {@code v = μ v + (g + wd w); w -= lr v}, or with Nesterov momentum {@code w -= lr ((g + wd w) + μ v)} using the
 * updated {@code v}. Updates a {@link ParameterStore} in place.
 */
public final class SgdMomentum {
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final Map<String, FloatBuffer> velocity = new LinkedHashMap<>();

    /** Classical (heavy-ball) momentum. */
    public SgdMomentum(ParameterStore store, double momentum, double weightDecay) {
        this(store, momentum, weightDecay, false);
    }

    /**
     * @param momentum    μ in [0, 1)
     * @param weightDecay L2 coefficient, ≥ 0
     * @param nesterov    Nesterov momentum (as PyTorch's {@code nesterov=True})
     * @throws IllegalArgumentException for values outside those ranges
     */
    public SgdMomentum(ParameterStore store, double momentum, double weightDecay, boolean nesterov) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        for (String p : store.names()) {
            int n = store.buffer(p).capacity();
            velocity.put(p, ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer());
        }
    }

    /** The live velocity buffer of a parameter (position 0), for checkpoints. */
    public FloatBuffer velocity(String parameter) {
        FloatBuffer v = velocity.get(parameter);
        if (v == null) {
            throw new IllegalArgumentException("no velocity for parameter '" + parameter + "'");
        }
        return v.duplicate().clear();
    }

    /** One step with learning rate {@code lr} using the gradients of the last {@link ParameterGradients#compute}. */
    public void step(ParameterGradients grads, double lr) {
        ParameterStore store = grads.store();
        float mu = (float) momentum;
        float wd = (float) weightDecay;
        float rate = (float) lr;
        for (var e : velocity.entrySet()) {
            FloatBuffer w = store.buffer(e.getKey());
            FloatBuffer g = grads.gradient(e.getKey());
            FloatBuffer v = e.getValue();
            int n = v.capacity();
            for (int i = 0; i < n; i++) {
                float wi = w.get(i);
                if (nesterov) {
                    float gi = g.get(i) + wd * wi;
                    float vi = mu * v.get(i) + gi;
                    v.put(i, vi);
                    w.put(i, wi - rate * (gi + mu * vi));
                } else {
                    float vi = mu * v.get(i) + g.get(i) + wd * wi;
                    v.put(i, vi);
                    w.put(i, wi - rate * vi);
                }
            }
        }
    }
}
