package org.widerobust.adapters.engine;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtEnvironment;

import java.util.List;

import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/**
 * Run in a fresh JVM by {@link ForeignEnvironmentTest}: the environment is created first without global thread
 * pools, as Tribuo's ONNXExternalModel does, and then an engine is created and used.
 */
public final class ForeignEnvironmentMain {
    private ForeignEnvironmentMain() {}

    public static void main(String[] args) {
        OrtEnvironment.getEnvironment();
        try (Engine e = Engine.create(DeviceSpec.CPU, 2)) {
            GraphBuilder g = new GraphBuilder("neg");
            g.addInput("x", DataType.FLOAT, Shapes.BATCH, 2);
            g.addNode("Neg", List.of("x"), List.of("y"));
            g.addOutput("y", DataType.FLOAT, Shapes.BATCH, 2);
            try (CompiledGraph c = e.compile(g.build(), "neg")) {
                c.floatInput("x", 1, 2).put(new float[] {1.5f, -2f});
                c.run("y");
                float[] y = c.floatOutputArray("y");
                System.out.println("DEVICE " + e.deviceDescription());
                System.out.println("RESULT " + y[0] + " " + y[1]);
            }
        }
    }
}
