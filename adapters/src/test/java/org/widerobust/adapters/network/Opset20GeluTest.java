package org.widerobust.adapters.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.engine.Fixtures;
import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;
import org.widerobust.descriptors.network.Network;

/** ONNX Runtime runs the gradient of an opset-20 Gelu; it agrees with the Erf form PyTorch exports before 20. */
class Opset20GeluTest {
    private static Network net(boolean fused) {
        GraphBuilder g = new GraphBuilder("gelu");
        g.addInput("x", DataType.FLOAT, Shapes.BATCH, 6);
        Random r = new Random(5);
        float[] w = new float[24];
        float[] v = new float[12];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        g.addInitializer("w", new long[] {6, 4}, w);
        g.addInitializer("v", new long[] {4, 3}, v);
        String h = g.op("MatMul", "x", "w");
        String a;
        if (fused) {
            a = g.op("Gelu", h, Attr.s("approximate", "none"));
        } else {
            String e = g.op("Erf", g.op("Div", h, g.scalar("s2", (float) Math.sqrt(2))));
            a = g.op("Mul", g.op("Mul", h, g.op("Add", e, g.scalar("one", 1f))), g.scalar("half", 0.5f));
        }
        g.addNode("MatMul", List.of(a, "v"), List.of("logits"));
        g.addOutput("logits", DataType.FLOAT, Shapes.BATCH, 3);
        ModelProto m = g.build().toBuilder().clearOpsetImport()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(fused ? 20 : 17)).build();
        return new Network("gelu", m, "x", "logits", new long[] {6}, 3, List.of("w", "v"), List.of(),
                new float[] {-3, 3});
    }

    @Test
    void fusedAndErfFormsGiveTheSameInputGradient() {
        float[] x = new float[5 * 6];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextGaussian());
        }
        int[] y = {0, 1, 2, 0, 1};
        float[] g20 = new float[x.length];
        float[] g17 = new float[x.length];
        try (Engine engine = Engine.create(DeviceSpec.CPU, 0);
             NetworkSession a = new NetworkSession(engine, net(true));
             NetworkSession b = new NetworkSession(engine, net(false))) {
            a.lossGradient("ce", x, 5, LossTargets.labels(y), g20, null, null);
            b.lossGradient("ce", x, 5, LossTargets.labels(y), g17, null, null);
        }
        double rel = Fixtures.relativeL2(g20, g17);
        assertTrue(rel < 1e-5, "relative L2 " + rel);
    }
}
