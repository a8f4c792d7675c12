package org.widerobust.plugin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.descriptors.graph.GraphBuilder;

/** Small ONNX classifiers built in code for tests, and the fixture paths. */
public final class TestNets {
    private TestNets() {}

    /** The PyTorch fixture directory {@code ../shared/fixtures/pytorch/NAME}. */
    public static Path fixture(String name) {
        return Path.of(System.getProperty("widerobust.shared", "../shared"), "fixtures", "pytorch", name);
    }

    /**
     * A nearest-centroid classifier on binarised pixels whose gradients are masked: pixels pass through
     * {@code Clip(1000 * (x - 0.5), 0, 1)}, which is flat (zero gradient) except within 0.0005 of 0.5.
     * Logits are {@code 2 m_k . b - |m_k|^2} with {@code m_k} the mean binarised image of class k.
     */
    public static ModelProto maskedCentroids(DenseDataset train) {
        int len = train.exampleLength();
        int k = train.numClasses();
        float[] w = new float[len * k];
        float[] c = new float[k];
        int[] counts = train.classCounts();
        float[] d = train.data();
        for (int i = 0; i < train.size(); i++) {
            int y = train.label(i);
            for (int j = 0; j < len; j++) {
                if (d[i * len + j] > 0.5f) {
                    w[j * k + y] += 1f / counts[y];
                }
            }
        }
        for (int y = 0; y < k; y++) {
            double s = 0;
            for (int j = 0; j < len; j++) {
                s += w[j * k + y] * w[j * k + y];
                w[j * k + y] *= 2;
            }
            c[y] = (float) -s;
        }
        GraphBuilder g = new GraphBuilder("masked");
        long[] shape = train.exampleShape();
        long[] in = new long[shape.length + 1];
        in[0] = -1;
        System.arraycopy(shape, 0, in, 1, shape.length);
        String x = g.addInput("input", DataType.FLOAT, in);
        String h = g.op("Mul", g.op("Sub", x, g.scalar("half", 0.5f)), g.scalar("gain", 1000f));
        h = g.op("Clip", List.of(h, g.scalar("lo", 0f), g.scalar("hi", 1f)));
        h = g.op("Flatten", h);
        String logits = g.op("Gemm", List.of(h, g.constant("w", new long[] {len, k}, w),
                g.constant("b", new long[] {k}, c)));
        g.addNode("Identity", List.of(logits), List.of("logits"));
        g.addOutput("logits", DataType.FLOAT, -1, k);
        return g.build();
    }

    /** A linear classifier with zero weights for inputs of {@code exampleShape}, optionally ending in Softmax. */
    public static ModelProto linear(long[] exampleShape, int classes, boolean softmax) {
        return linear(exampleShape, classes, softmax ? "Softmax" : null);
    }

    /**
     * A classifier whose outputs are not finite: the linear layer divided by zero (±Inf, NaN where the logit is 0),
     * for the error on NaN/Inf model outputs.
     */
    public static ModelProto nonFinite(long[] exampleShape, int classes) {
        return linear(exampleShape, classes, "Div");
    }

    /** The linear layer, then {@code Softmax}, a {@code Div} by zero, or nothing ({@code head} null). */
    private static ModelProto linear(long[] exampleShape, int classes, String head) {
        GraphBuilder g = new GraphBuilder("linear");
        long[] in = new long[exampleShape.length + 1];
        in[0] = -1;
        System.arraycopy(exampleShape, 0, in, 1, exampleShape.length);
        long len = 1;
        for (long s : exampleShape) {
            len *= s;
        }
        float[] w = new float[(int) len * classes];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i * 0.37) * 0.05f;
        }
        String x = g.addInput("input", DataType.FLOAT, in);
        String h = g.op("Flatten", x);
        String out = g.op("Gemm", List.of(h, g.constant("w", new long[] {len, classes}, w),
                g.constant("b", new long[] {classes}, new float[classes])));
        if ("Softmax".equals(head)) {
            out = g.op("Softmax", out);
        } else if ("Div".equals(head)) {
            out = g.op("Div", out, g.constant("zero", new long[] {classes}, new float[classes]));
        }
        g.addNode("Identity", List.of(out), List.of("logits"));
        g.addOutput("logits", DataType.FLOAT, -1, classes);
        return g.build();
    }

    /** Writes a model to a file. */
    public static Path write(ModelProto m, Path file) {
        try {
            Files.write(file, m.toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
