package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.ShapeInference;
import org.widerobust.descriptors.graph.Shapes;
import org.widerobust.descriptors.network.Network;

/**
 * A tiny forward graph around the op under test: the input {@code input [N, exampleShape...]}, seeded random
 * parameters, and a head (Flatten, Gemm to the classes) producing {@code logits}.
 */
final class OpGraph {
    static final String INPUT = "input";

    final GraphBuilder g = new GraphBuilder("op_under_test");
    private final Random rnd;
    private final long[] example;
    private final List<String> params = new ArrayList<>();

    private OpGraph(Random rnd, long[] exampleShape) {
        this.rnd = rnd;
        this.example = exampleShape.clone();
        long[] dims = new long[exampleShape.length + 1];
        dims[0] = Shapes.BATCH;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        g.addInput(INPUT, DataType.FLOAT, dims);
    }

    OpGraph(long... exampleShape) {
        this(new Random(7), exampleShape);
    }

    /** A graph whose parameters are drawn with {@code seed}. */
    static OpGraph seeded(long seed, long... exampleShape) {
        return new OpGraph(new Random(seed), exampleShape);
    }

    String input() {
        return INPUT;
    }

    /** A trainable parameter with values {@code offset + sigma N(0, 1)}. */
    String param(String name, double offset, double sigma, long[] dims) {
        g.addInitializer(name, dims, values(dims, offset, sigma));
        params.add(name);
        return name;
    }

    /** A parameter N(0, 1). */
    String param(String name, long... dims) {
        return param(name, 0, 1, dims);
    }

    String param(String name, double offset, double sigma, long d0, long... rest) {
        long[] dims = new long[rest.length + 1];
        dims[0] = d0;
        System.arraycopy(rest, 0, dims, 1, rest.length);
        return param(name, offset, sigma, dims);
    }

    /** A float initializer that is not a parameter, {@code offset + sigma N(0, 1)}. */
    String buffer(String name, double offset, double sigma, long... dims) {
        return g.addInitializer(name, dims, values(dims, offset, sigma));
    }

    String longs(String prefix, long... v) {
        return g.longs(prefix, v);
    }

    String scalar(String prefix, float v) {
        return g.scalar(prefix, v);
    }

    String op(String type, String a, AttributeProto... attrs) {
        return g.op(type, a, attrs);
    }

    String op(String type, String a, String b, AttributeProto... attrs) {
        return g.op(type, a, b, attrs);
    }

    String op(String type, List<String> in, AttributeProto... attrs) {
        return g.op(type, in, attrs);
    }

    List<String> params() {
        return List.copyOf(params);
    }

    long[] shape(String value) {
        return ShapeInference.of(g.build()).shape(value);
    }

    /** Flattens {@code value} (axis 1) and maps it to {@code classes} logits with a Gemm (weights scaled 1/√F). */
    Network head(String value, int classes) {
        long[] s = shape(value);
        String flat = s.length == 2 ? value : g.op("Flatten", value);
        long f = shape(flat)[1];
        String w = param("head.weight", 0, 1 / Math.sqrt(f), f, classes);
        String b = param("head.bias", 0, 0.1, classes);
        return logits(g.op("Gemm", List.of(flat, w, b)), classes);
    }

    /** Uses {@code value} ({@code [N, classes]}) as the logits. */
    Network logits(String value, int classes) {
        g.addNode("Identity", List.of(value), List.of("logits"));
        g.addOutput("logits", DataType.FLOAT, Shapes.BATCH, classes);
        return GradientChecker.network("op", g.build(), INPUT, "logits", example, classes, params);
    }

    private float[] values(long[] dims, double offset, double sigma) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (offset + sigma * rnd.nextGaussian());
        }
        return v;
    }
}
