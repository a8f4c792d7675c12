package org.widerobust.adapters.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.adapters.engine.Fixtures;
import org.widerobust.descriptors.autodiff.Differentiator;
import org.widerobust.descriptors.autodiff.GradientGraph;
import org.widerobust.descriptors.autodiff.GradientRequest;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;
import org.widerobust.descriptors.reference.DTensor;
import org.widerobust.descriptors.reference.ReferenceInterpreter;

/**
 * With constant weights ONNX Runtime runs the convolutions of an input-gradient graph in its blocked (NCHWc) layout,
 * and the graph is built for it: ReLU masks as a scaled, clipped depthwise Conv and a ConvTranspose for the
 * one-channel image layer. On inputs with blank regions (exact zero activations and max-pool ties, as on
 * Fashion-MNIST's background) the engine must agree with the double-precision reference interpreter running the same
 * graph, and with the live-weights graph, whose masks are plain comparisons (the independent check of the mask).
 */
class BlockedLayoutGradientTest extends CpuEngineTest {
    @Test
    void blockedInputGradientsMatchTheReferenceOnImagesWithBlankRegions() {
        // TRADES' initialisation zeroes the last layer (a zero gradient): perturb every weight.
        ParameterStore store = new ParameterStore(
                Families.create("smallcnn", 0.5).build(new long[] {1, 28, 28}, 10, 5, Mode.TRAINING));
        SplittableRandom r = new SplittableRandom(3);
        for (String p : store.names()) {
            FloatBuffer b = store.buffer(p);
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, b.get(i) + (float) (0.05 * r.nextGaussian()));
            }
        }
        Network net = store.toNetwork();
        GradientGraph gg = Differentiator.differentiate(net, GradientRequest.inputOnly(new CrossEntropyLoss(), false));
        String graph = gg.model().getGraph().toString();
        assertTrue(graph.contains("relu_mask_scale"), "16- and 32-channel ReLUs use the blocked mask");
        assertTrue(graph.contains("\"ConvTranspose\""), "the one-channel image layer's input gradient");

        int n = 4;
        float[] x = imagesWithBlankRegions(n);
        int[] labels = {0, 3, 7, 9};
        float[] blocked = new float[x.length];
        float[] live = new float[x.length];
        try (NetworkSession fixed = NetworkSession.snapshot(engine, store);
             NetworkSession liveSession = new NetworkSession(engine, net, store)) {
            fixed.lossGradient("ce", x, n, LossTargets.labels(labels), blocked, null, null);
            liveSession.lossGradient("ce", x, n, LossTargets.labels(labels), live, null, null);
        }
        Map<String, DTensor> ref = new ReferenceInterpreter(gg.model()).run(Map.of(
                net.input(), DTensor.ofFloats(new long[] {n, 1, 28, 28}, x),
                "labels", DTensor.ofLongs(new long[] {n}, new long[] {0, 3, 7, 9})));
        double[] expected = ref.get(gg.inputGradient()).data();
        float[] expectedF = new float[expected.length];
        for (int i = 0; i < expected.length; i++) {
            expectedF[i] = (float) expected[i];
        }
        double err = Fixtures.relativeL2(blocked, expectedF);
        assertTrue(err <= 1e-5, "blocked-layout input gradient vs reference: relative L2 " + err);
        double liveErr = Fixtures.relativeL2(live, blocked);
        assertTrue(liveErr <= 1e-5, "live-weights vs blocked-layout input gradient: relative L2 " + liveErr);
    }

    /** Random strokes on a blank background, with a flat mid-grey patch (ties in every pooling window there). */
    private static float[] imagesWithBlankRegions(int n) {
        SplittableRandom r = new SplittableRandom(11);
        float[] x = new float[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            for (int h = 6; h < 22; h++) {
                for (int w = 6; w < 22; w++) {
                    boolean flat = h >= 14 && w >= 14;
                    x[(i * 28 + h) * 28 + w] = flat ? 0.5f : (float) r.nextDouble();
                }
            }
        }
        return x;
    }
}
