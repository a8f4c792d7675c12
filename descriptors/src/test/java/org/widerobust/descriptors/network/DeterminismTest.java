package org.widerobust.descriptors.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.onnx.proto.OnnxMl.TensorProto;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;

class DeterminismTest {
    private static final long[] CIFAR = {3, 32, 32};
    private static final long[] MNIST = {1, 28, 28};

    @Test
    void sameSeedGivesIdenticalBytes() {
        for (NetworkDescriptor d : List.of(new SmallCnnDescriptor(1), new MlpDescriptor(0.5),
                new WideResNetDescriptor(10, 1))) {
            long[] shape = d instanceof WideResNetDescriptor ? CIFAR : MNIST;
            for (Mode mode : Mode.values()) {
                byte[] a = d.build(shape, 10, 42, mode).model().toByteArray();
                byte[] b = d.build(shape, 10, 42, mode).model().toByteArray();
                assertArrayEquals(a, b, d + " " + mode);
                assertFalse(Arrays.equals(a, d.build(shape, 10, 43, mode).model().toByteArray()), d + " " + mode);
            }
        }
    }

    @Test
    void differentSeedsChangeEveryRandomParameter() {
        Network a = new SmallCnnDescriptor(1).build(MNIST, 10, 1, Mode.INFERENCE);
        Network b = new SmallCnnDescriptor(1).build(MNIST, 10, 2, Mode.INFERENCE);
        List<float[]> va = a.parameterValues();
        List<float[]> vb = b.parameterValues();
        int random = 0;
        for (int i = 0; i < va.size(); i++) {
            if (isConstant(va.get(i))) {
                assertArrayEquals(va.get(i), vb.get(i), a.parameters().get(i));
            } else {
                assertFalse(Arrays.equals(va.get(i), vb.get(i)), a.parameters().get(i));
                random++;
            }
        }
        assertTrue(random >= 6, "weights of conv1-4, fc1 and fc2 are random");
    }

    private static boolean isConstant(float[] v) {
        for (float f : v) {
            if (f != v[0]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void trainingAndInferenceFormsShareParameters() {
        WideResNetDescriptor d = new WideResNetDescriptor(10, 2);
        Network inference = d.build(CIFAR, 10, 5, Mode.INFERENCE);
        Network training = d.build(CIFAR, 10, 5, Mode.TRAINING);
        assertEquals(inference.parameters(), training.parameters());
        List<float[]> vi = inference.parameterValues();
        List<float[]> vt = training.parameterValues();
        for (int i = 0; i < vi.size(); i++) {
            assertArrayEquals(vi.get(i), vt.get(i), inference.parameters().get(i));
        }
        assertEquals(List.of(), inference.batchNorms());
        assertEquals(7, training.batchNorms().size());
        Map<String, TensorProto> inferenceInit = inference.initializers();
        Map<String, TensorProto> trainingInit = training.initializers();
        for (Network.BatchNormStatistics bn : training.batchNorms()) {
            for (String buffer : List.of(bn.runningMean(), bn.runningVar())) {
                assertNotNull(inferenceInit.get(buffer), buffer);
                assertEquals(inferenceInit.get(buffer), trainingInit.get(buffer));
            }
        }
        assertEquals(new Network.BatchNormStatistics("block1.0.bn1.batch_mean", "block1.0.bn1.batch_var",
                "block1.0.bn1.running_mean", "block1.0.bn1.running_var"), training.batchNorms().get(0));
        float[] var = Tensors.toFloats(inferenceInit.get("bn1.running_var"));
        assertEquals(128, var.length);
        assertEquals(1f, var[0]);
    }

    @Test
    void parameterNamesAreReadable() {
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
                "conv4.weight", "conv4.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight",
                "fc3.bias"), new SmallCnnDescriptor(1).build(MNIST, 10, 0, Mode.INFERENCE).parameters());
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"),
                new MlpDescriptor(1).build(new long[] {4}, 2, 0, Mode.INFERENCE).parameters());
        List<String> wrn = new WideResNetDescriptor(16, 1).build(CIFAR, 10, 0, Mode.INFERENCE).parameters();
        assertEquals(List.of("conv1.weight", "block1.0.bn1.weight", "block1.0.bn1.bias", "block1.0.conv1.weight",
                "block1.0.bn2.weight", "block1.0.bn2.bias", "block1.0.conv2.weight"), wrn.subList(0, 7));
        assertEquals(List.of("bn1.weight", "bn1.bias", "fc.weight", "fc.bias"), wrn.subList(wrn.size() - 4, wrn.size()));
        assertFalse(wrn.contains("block1.0.convShortcut.weight"));
        assertFalse(wrn.contains("block1.0.bn1.running_mean"));
        for (String p : List.of("block2.0.convShortcut.weight", "block3.0.convShortcut.weight", "block3.1.conv2.weight")) {
            assertEquals(true, wrn.contains(p), p);
        }
        assertFalse(wrn.contains("block2.1.convShortcut.weight"));
    }
}
