package org.widerobust.descriptors.autodiff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.widerobust.descriptors.graph.Tensors;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.network.Network;

/** The checker must be able to fail: wrong gradients, slightly scaled or from a tampered rule, are detected. */
class GradientCheckerSanityTest {
    private static final int K = 4;

    private static Network sigmoidNet() {
        OpGraph o = new OpGraph(2, 3);
        return o.head(o.op("Sigmoid", o.op("Mul", o.input(), o.param("p", 1, 0.3, 2, 1))), K);
    }

    @Test
    void correctGradientsPass() {
        assertTrue(GradientChecker.of(sigmoidNet(), new CrossEntropyLoss()).run().ok());
    }

    @Test
    void scaledGradientIsDetected() {
        GradientChecker.Result r = GradientChecker.of(sigmoidNet(), new CrossEntropyLoss()).analyticScale(1 + 1e-4)
                .run();
        assertFalse(r.ok());
        assertThrows(AssertionFailedError.class, r::assertOk);
    }

    /** Sigmoid's rule with {@code y (0.999 - y)} instead of {@code y (1 - y)}: a hand-built wrong gradient graph. */
    @Test
    void perturbedSigmoidRuleIsDetected() {
        GradientChecker.Result r = GradientChecker.of(sigmoidNet(), new CrossEntropyLoss())
                .tamper(m -> perturbSigmoidRule(m, 0.999f)).run();
        assertFalse(r.ok());
        assertTrue(r.mismatches().stream().anyMatch(c -> c.tensor().equals("p")), "parameter below the sigmoid");
        assertTrue(r.mismatches().stream().anyMatch(c -> c.tensor().equals(OpGraph.INPUT)), "input");
        assertTrue(r.mismatches().stream().noneMatch(c -> c.tensor().startsWith("head.")),
                "the head above the sigmoid is unaffected");
        // and the untampered rewrite passes
        assertTrue(GradientChecker.of(sigmoidNet(), new CrossEntropyLoss())
                .tamper(m -> perturbSigmoidRule(m, 1f)).run().ok());
    }

    /** ReLU's mask taken from the wrong side of zero. */
    @Test
    void invertedReluMaskIsDetected() {
        OpGraph o = new OpGraph(2, 3);
        Network net = o.head(o.op("Relu", o.op("Mul", o.input(), o.param("p", 2, 1))), K);
        GradientChecker.Result r = GradientChecker.of(net, new CrossEntropyLoss()).tamper(m -> {
            GraphProto.Builder g = m.getGraph().toBuilder();
            for (NodeProto.Builder n : g.getNodeBuilderList()) {
                if (n.getOpType().equals("Greater")) {
                    n.setOpType("LessOrEqual");
                }
            }
            return m.toBuilder().setGraph(g).build();
        }).run();
        assertFalse(r.ok());
        assertThrows(AssertionFailedError.class, r::assertOk);
    }

    @Test
    void vacuousCheckIsRejected() {
        // The loss does not depend on the parameter 'dead' and the input is multiplied by zero.
        OpGraph o = new OpGraph(2, 3);
        String zero = o.buffer("zero", 0, 0, 1);
        String dead = o.op("Mul", o.op("Mul", o.input(), zero), o.param("dead", 2, 1));
        Network net = o.logits(o.op("Gemm", List.of(o.op("Flatten", dead), o.buffer("w", 0, 1, 6, K))), K);
        assertThrows(AssertionFailedError.class, () -> GradientChecker.of(net, new CrossEntropyLoss()).check());
    }

    private static ModelProto perturbSigmoidRule(ModelProto m, float one) {
        GraphProto.Builder g = m.getGraph().toBuilder();
        String y = g.getNodeList().stream().filter(n -> n.getOpType().equals("Sigmoid")).findFirst().orElseThrow()
                .getOutput(0);
        NodeProto sub = g.getNodeList().stream()
                .filter(n -> n.getOpType().equals("Sub") && n.getInputCount() == 2 && n.getInput(1).equals(y))
                .findFirst().orElseThrow();
        String constant = sub.getInput(0);
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getName().equals(constant)) {
                assertTrue(Tensors.toFloats(t)[0] == 1f, "Sigmoid's rule computes y (1 - y)");
                g.setInitializer(i, Tensors.floats(constant, Tensors.dims(t), new float[] {one}));
            }
        }
        return m.toBuilder().setGraph(g).build();
    }
}
