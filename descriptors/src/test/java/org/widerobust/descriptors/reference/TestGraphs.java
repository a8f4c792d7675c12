package org.widerobust.descriptors.reference;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds tiny ONNX models for the interpreter tests. */
final class TestGraphs {

    private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    private final List<OnnxMl.TensorProto> initializers = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final int opset;

    TestGraphs(int opset) {
        this.opset = opset;
    }

    TestGraphs input(String... names) {
        inputs.addAll(List.of(names));
        return this;
    }

    TestGraphs output(String... names) {
        outputs.addAll(List.of(names));
        return this;
    }

    TestGraphs init(String name, DTensor t) {
        initializers.add(t.toProto(name));
        return this;
    }

    /** Adds a node; {@code ins} and {@code outs} are comma-separated value names (empty entries allowed). */
    TestGraphs node(String op, String ins, String outs, OnnxMl.AttributeProto... attrs) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + "_" + nodes.size());
        if (!ins.isEmpty()) {
            for (String s : ins.split(",", -1)) {
                b.addInput(s.trim());
            }
        }
        for (String s : outs.split(",", -1)) {
            b.addOutput(s.trim());
        }
        for (OnnxMl.AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        nodes.add(b.build());
        return this;
    }

    OnnxMl.ModelProto model() {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("test").addAllNode(nodes)
                .addAllInitializer(initializers);
        for (String i : inputs) {
            g.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(i));
        }
        for (String o : outputs) {
            g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(o));
        }
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
    }

    ReferenceInterpreter interpreter() {
        return new ReferenceInterpreter(model());
    }

    static Map<String, DTensor> values(Object... nameTensorPairs) {
        Map<String, DTensor> m = new LinkedHashMap<>();
        for (int i = 0; i < nameTensorPairs.length; i += 2) {
            m.put((String) nameTensorPairs[i], (DTensor) nameTensorPairs[i + 1]);
        }
        return m;
    }

    static OnnxMl.AttributeProto ints(String name, long... v) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static OnnxMl.AttributeProto i(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    static OnnxMl.AttributeProto f(String name, double v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
                .setF((float) v).build();
    }

    static OnnxMl.AttributeProto s(String name, String v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    static OnnxMl.AttributeProto t(String name, DTensor v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                .setT(v.toProto(name)).build();
    }

    static long[] shape(long... dims) {
        return dims;
    }

    static DTensor longs(long... v) {
        return DTensor.ofLongs(new long[]{v.length}, v);
    }

    static DTensor range(long... shape) {
        double[] d = new double[(int) Shapes.product(shape)];
        for (int k = 0; k < d.length; k++) {
            d[k] = k + 1;
        }
        return DTensor.of(shape, d);
    }

    static DTensor random(java.util.Random rnd, long... shape) {
        double[] d = new double[(int) Shapes.product(shape)];
        for (int k = 0; k < d.length; k++) {
            d[k] = rnd.nextGaussian();
        }
        return DTensor.of(shape, d);
    }

    static double dot(DTensor a, DTensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(a + " vs " + b);
        }
        double s = 0;
        for (int k = 0; k < a.size(); k++) {
            s += a.data()[k] * b.data()[k];
        }
        return s;
    }
}
