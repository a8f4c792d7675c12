package org.widerobust.descriptors.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.HashSet;
import java.util.Set;

import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/** Structural assertions shared by the family tests. */
final class GraphChecks {
    static final Set<String> ALLOWED_OPS = Set.of("Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu",
            "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization", "Flatten", "Reshape", "ReduceMean",
            "Sqrt", "Reciprocal", "Identity");

    private GraphChecks() {}

    /** Topological order, allowed ops, the declared input and logits, and the parameters being initializers. */
    static void checkWellFormed(Network net) {
        GraphProto g = net.model().getGraph();
        Set<String> known = new HashSet<>();
        g.getInputList().forEach(v -> known.add(v.getName()));
        g.getInitializerList().forEach(t -> known.add(t.getName()));
        for (NodeProto n : g.getNodeList()) {
            assertTrue(ALLOWED_OPS.contains(n.getOpType()), "op " + n.getOpType() + " not allowed");
            for (String in : n.getInputList()) {
                assertTrue(in.isEmpty() || known.contains(in), n.getName() + " reads " + in + " before it exists");
            }
            for (String out : n.getOutputList()) {
                assertTrue(known.add(out), "value " + out + " defined twice");
            }
        }
        for (ValueInfoProto out : g.getOutputList()) {
            assertTrue(known.contains(out.getName()), "output " + out.getName() + " is never computed");
        }
        assertEquals(1, g.getInputCount());
        assertEquals("input", net.input());
        assertEquals("input", g.getInput(0).getName());
        assertArrayEquals(net.batchedInputShape(), GraphBuilder.dimsOf(g.getInput(0)));
        assertEquals("logits", net.logits());
        assertEquals("logits", g.getOutput(0).getName());
        assertArrayEquals(new long[] {Shapes.BATCH, net.numClasses()}, GraphBuilder.dimsOf(g.getOutput(0)));
        assertEquals(1 + 2 * net.batchNorms().size(), g.getOutputCount());
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            initializers.add(t.getName());
        }
        assertTrue(initializers.containsAll(net.parameters()));
        assertEquals(net.parameters().size(), new HashSet<>(net.parameters()).size());
        assertArrayEquals(new float[] {0f, 1f}, net.inputBounds());
    }
}
