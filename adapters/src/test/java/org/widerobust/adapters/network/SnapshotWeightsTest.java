package org.widerobust.adapters.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;

/**
 * A training step's snapshot session is compiled from {@link ParameterStore#liveView()}, which views the live weight
 * buffers instead of copying them, through the engine's reused serialization buffer. It must hand ONNX Runtime the
 * same bytes as the copying {@link ParameterStore#toNetwork()}, and the session must keep the values of its creation
 * when the weights change afterwards (ONNX Runtime copies initializers).
 */
class SnapshotWeightsTest extends CpuEngineTest {
    @Test
    void liveViewSerializesToTheSameBytesAsACopy() {
        ParameterStore store = perturbed(new ParameterStore(
                Families.create("smallcnn", 0.5).build(new long[] {1, 28, 28}, 10, 5, Mode.INFERENCE)), 1);
        assertArrayEquals(store.toNetwork().model().toByteArray(), store.liveView().model().toByteArray());
    }

    @Test
    void aSnapshotKeepsTheWeightsOfItsCreation() {
        ParameterStore store = perturbed(new ParameterStore(
                Families.create("smallcnn", 0.5).build(new long[] {1, 28, 28}, 10, 5, Mode.INFERENCE)), 2);
        int n = 3;
        float[] x = new float[n * 28 * 28];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        Network copyBefore = store.toNetwork();
        float[] before = new float[n * 10];
        float[] afterUpdate = new float[n * 10];
        float[] expectedBefore = new float[n * 10];
        float[] fresh = new float[n * 10];
        float[] expectedFresh = new float[n * 10];
        try (NetworkSession snapshot = NetworkSession.snapshot(engine, store)) {
            snapshot.logits(x, n, before);
            perturbed(store, 3); // an optimiser step on the live buffers
            snapshot.logits(x, n, afterUpdate);
            // A larger graph compiled in between reuses (and overwrites) the engine's serialization buffer.
            try (NetworkSession wide = new NetworkSession(engine,
                    Families.create("smallcnn", 1).build(new long[] {1, 28, 28}, 10, 5, Mode.INFERENCE))) {
                wide.logits(x, n, new float[n * 10]);
            }
            try (NetworkSession copy = new NetworkSession(engine, copyBefore);
                 NetworkSession next = NetworkSession.snapshot(engine, store);
                 NetworkSession nextCopy = new NetworkSession(engine, store.toNetwork())) {
                copy.logits(x, n, expectedBefore);
                next.logits(x, n, fresh);
                nextCopy.logits(x, n, expectedFresh);
            }
        }
        assertArrayEquals(expectedBefore, before, "the snapshot runs the weights it was created with");
        assertArrayEquals(before, afterUpdate, "a later update of the live buffers does not reach the snapshot");
        assertArrayEquals(expectedFresh, fresh, "a new snapshot runs the updated weights");
        assertFalse(Arrays.equals(before, fresh), "the update changed the logits");
    }

    private static ParameterStore perturbed(ParameterStore store, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (String p : store.names()) {
            FloatBuffer b = store.buffer(p);
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, b.get(i) + (float) (0.05 * r.nextGaussian()));
            }
        }
        return store;
    }
}
