package org.widerobust.descriptors.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;

class StructureTest {

    private static long count(Network net, String op) {
        return net.model().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count();
    }

    @Test
    void everyFamilyBuildsWellFormedGraphs() {
        List<Object[]> cases = List.of(
                new Object[] {new SmallCnnDescriptor(1), new long[] {1, 28, 28}},
                new Object[] {new SmallCnnDescriptor(0.5), new long[] {3, 32, 32}},
                new Object[] {new MlpDescriptor(1), new long[] {1, 28, 28}},
                new Object[] {new MlpDescriptor(2, 8), new long[] {13}},
                new Object[] {new WideResNetDescriptor(10, 1), new long[] {3, 32, 32}},
                new Object[] {new WideResNetDescriptor(16, 0.5), new long[] {1, 28, 28}});
        for (Object[] c : cases) {
            NetworkDescriptor d = (NetworkDescriptor) c[0];
            for (Mode mode : Mode.values()) {
                Network net = d.build((long[]) c[1], 7, 1, mode);
                GraphChecks.checkWellFormed(net);
                assertEquals(d.describe(), net.name());
                assertEquals(GraphBuilder.OPSET, GraphBuilder.opsetOf(net.model()));
                assertEquals(d.parameterCount((long[]) c[1], 7), net.parameterCount());
            }
        }
    }

    @Test
    void wideResNetTrainingFormHasNoBatchNormalizationNode() {
        WideResNetDescriptor d = new WideResNetDescriptor(10, 1);
        Network inference = d.build(new long[] {3, 32, 32}, 10, 0, Mode.INFERENCE);
        Network training = d.build(new long[] {3, 32, 32}, 10, 0, Mode.TRAINING);
        assertEquals(7, count(inference, "BatchNormalization"));
        assertEquals(0, count(inference, "ReduceMean"));
        assertEquals(0, count(training, "BatchNormalization"));
        assertEquals(14, count(training, "ReduceMean"));
        NodeProto bn = inference.model().getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("BatchNormalization")).findFirst().orElseThrow();
        assertEquals(1e-5f, Attr.getFloat(bn, "epsilon", 0));
        assertEquals(List.of("block1.0.bn1.weight", "block1.0.bn1.bias", "block1.0.bn1.running_mean",
                "block1.0.bn1.running_var"), bn.getInputList().subList(1, 5));
        var outputs = training.model().getGraph().getOutputList();
        assertEquals("block1.0.bn1.batch_mean", outputs.get(1).getName());
        assertArrayEquals(new long[] {16}, GraphBuilder.dimsOf(outputs.get(1)));
        assertArrayEquals(new long[] {64}, GraphBuilder.dimsOf(outputs.get(outputs.size() - 1)));
    }

    @Test
    void wideResNetShapesFollowTheStrides() {
        Network net = new WideResNetDescriptor(10, 1).build(new long[] {1, 28, 28}, 10, 0, Mode.INFERENCE);
        long shortcuts = net.model().getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Conv") && n.getInput(1).endsWith("convShortcut.weight"))
                .peek(n -> assertArrayEquals(new long[] {2, 2}, Attr.getInts(n, "strides", null)))
                .peek(n -> assertArrayEquals(new long[] {0, 0, 0, 0}, Attr.getInts(n, "pads", null)))
                .count();
        assertEquals(2, shortcuts);
        long[] fcDims = Tensors.dims(net.initializers().get("fc.weight"));
        assertArrayEquals(new long[] {10, 64}, fcDims);
        assertEquals(1, count(net, "GlobalAveragePool"));
        assertEquals(3, count(net, "Add"));
    }

    @Test
    void smallCnnFlattensTo64kTimes16Features() {
        Network net = new SmallCnnDescriptor(3).build(new long[] {1, 28, 28}, 10, 0, Mode.INFERENCE);
        assertArrayEquals(new long[] {600, 64 * 3 * 16}, Tensors.dims(net.initializers().get("fc1.weight")));
        for (NodeProto n : net.model().getGraph().getNodeList()) {
            if (n.getOpType().equals("Gemm")) {
                assertEquals(1, Attr.getInt(n, "transB", 0));
            }
        }
        assertEquals(2, count(net, "MaxPool"));
    }

    @Test
    void tooSmallInputsNameTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SmallCnnDescriptor(1).build(new long[] {1, 12, 12}, 10, 0, Mode.INFERENCE));
        assertTrue(e.getMessage().contains("[1, 12, 12]"), e.getMessage());
        assertTrue(e.getMessage().contains("smallcnn(k=1)"), e.getMessage());
        assertEquals(new SmallCnnDescriptor(1).cost(new long[] {1, 16, 16}, 10).parameters(),
                new SmallCnnDescriptor(1).build(new long[] {1, 16, 16}, 10, 0, Mode.INFERENCE).parameterCount());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SmallCnnDescriptor(1).multiplyAdds(new long[] {784}, 10));
        assertTrue(e.getMessage().contains("[784]") && e.getMessage().contains("[C, H, W]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new WideResNetDescriptor(10, 1).build(new long[] {3, 0, 32}, 10, 0, Mode.INFERENCE));
        assertThrows(IllegalArgumentException.class,
                () -> new MlpDescriptor(1).build(new long[] {3}, 0, 0, Mode.INFERENCE));
    }
}
