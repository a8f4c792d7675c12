package org.widerobust.adapters.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;

/** {@link SgdMomentum} with Nesterov momentum follows PyTorch's {@code SGD(nesterov=True)} update. */
class SgdNesterovTest {
    private static Engine engine;

    @BeforeAll
    static void start() {
        engine = Engine.create(DeviceSpec.CPU, 1);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void nesterovFollowsPyTorch() {
        Network net = Families.create("mlp", 0.05).build(new long[] {1, 4, 4}, 3, 1, Mode.TRAINING);
        ParameterStore store = new ParameterStore(net);
        String p = net.parameters().get(0);
        float[] x = new float[2 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / 32f;
        }
        float mu = 0.9f;
        float wd = 0.01f;
        float lr = 0.1f;
        try (ParameterGradients grads = new ParameterGradients(engine, store, new CrossEntropyLoss(),
                Reduction.MEAN)) {
            SgdMomentum sgd = new SgdMomentum(store, mu, wd, true);
            float[] v = new float[store.buffer(p).capacity()];
            for (int step = 0; step < 2; step++) {
                float[] w = copy(store.buffer(p));
                grads.compute(x, 2, new int[] {0, 2}, 0f);
                float[] g = copy(grads.gradient(p));
                sgd.step(grads, lr);
                float[] after = copy(store.buffer(p));
                for (int i = 0; i < w.length; i++) {
                    float gi = g[i] + wd * w[i];
                    v[i] = mu * v[i] + gi;
                    assertEquals(w[i] - lr * (gi + mu * v[i]), after[i], 1e-6, "step " + step + " at " + i);
                }
            }
        }
    }

    private static float[] copy(FloatBuffer b) {
        float[] out = new float[b.capacity()];
        b.duplicate().clear().get(out);
        return out;
    }
}
