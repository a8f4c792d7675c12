package org.widerobust.adapters.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.descriptors.autodiff.Differentiator;
import org.widerobust.descriptors.autodiff.GradientGraph;
import org.widerobust.descriptors.autodiff.GradientRequest;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.loss.TradesLoss;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;
import org.widerobust.descriptors.reference.DTensor;
import org.widerobust.descriptors.reference.ReferenceInterpreter;

/**
 * Training gradients on the engine (weights bound zero-copy from a {@link ParameterStore}) agree with the
 * double-precision reference interpreter running the same gradient graph, and {@link SgdMomentum} applies
 * PyTorch's update rule.
 */
class ParameterGradientsTest extends CpuEngineTest {
    private static final long[] SHAPE = {3, 8, 8};
    @Test
    void tradesGradientsOfAWideResNetMatchTheReference() {
        Network net = Families.create("wrn-10", 0.25).build(SHAPE, 5, 3, Mode.TRAINING);
        int n = 3;
        int rows = 2 * n;
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[rows * net.exampleLength()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        int[] labels = {0, 3, 4};
        float lambda = 6f;
        ParameterStore store = new ParameterStore(net);
        try (ParameterGradients grads = new ParameterGradients(engine, store, new TradesLoss(), Reduction.MEAN)) {
            float loss = grads.compute(x, rows, labels, lambda);

            GradientGraph gg = Differentiator.differentiate(net, new GradientRequest(new TradesLoss(), Reduction.MEAN,
                    false, net.parameters(), false, List.of()));
            Map<String, DTensor> in = new HashMap<>();
            in.put(net.input(), DTensor.ofFloats(new long[] {rows, 3, 8, 8}, x));
            in.put("labels", DTensor.ofLongs(new long[] {n}, new long[] {0, 3, 4}));
            in.put(TradesLoss.LAMBDA, DTensor.scalar(lambda));
            Map<String, DTensor> ref = new ReferenceInterpreter(gg.model()).run(in);
            assertEquals(ref.get(Differentiator.LOSS).data()[0], loss, 1e-4);
            for (String p : net.parameters()) {
                double[] expected = ref.get(gg.parameterGradients().get(p)).data();
                FloatBuffer got = grads.gradient(p);
                double num = 0;
                double den = 1e-12;
                for (int i = 0; i < expected.length; i++) {
                    double d = got.get(i) - expected[i];
                    num += d * d;
                    den += expected[i] * expected[i];
                }
                assertTrue(Math.sqrt(num / den) < 1e-3, p + ": relative error " + Math.sqrt(num / den));
            }
        }
    }

    @Test
    void sgdWithMomentumFollowsPyTorch() {
        Network net = Families.create("mlp", 0.05).build(new long[] {1, 4, 4}, 3, 1, Mode.TRAINING);
        ParameterStore store = new ParameterStore(net);
        String p = net.parameters().get(0);
        float[] w0 = copy(store.buffer(p));
        float[] x = new float[2 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / 32f;
        }
        try (ParameterGradients grads = new ParameterGradients(engine, store,
                new org.widerobust.descriptors.loss.CrossEntropyLoss(), Reduction.MEAN)) {
            SgdMomentum sgd = new SgdMomentum(store, 0.9, 0.01);
            grads.compute(x, 2, new int[] {0, 2}, 0f);
            float[] g0 = copy(grads.gradient(p));
            sgd.step(grads, 0.1);
            float[] w1 = copy(store.buffer(p));
            float[] v1 = new float[w0.length];
            for (int i = 0; i < w0.length; i++) {
                v1[i] = g0[i] + 0.01f * w0[i];
                assertEquals(w0[i] - 0.1f * v1[i], w1[i], 1e-6, "first step at " + i);
            }
            grads.compute(x, 2, new int[] {0, 2}, 0f);
            float[] g1 = copy(grads.gradient(p));
            sgd.step(grads, 0.1);
            float[] w2 = copy(store.buffer(p));
            for (int i = 0; i < w0.length; i++) {
                float v2 = 0.9f * v1[i] + g1[i] + 0.01f * w1[i];
                assertEquals(w1[i] - 0.1f * v2, w2[i], 1e-6, "second step at " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new SgdMomentum(store, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SgdMomentum(store, 0.9, -1));
    }

    private static float[] copy(FloatBuffer b) {
        float[] out = new float[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
