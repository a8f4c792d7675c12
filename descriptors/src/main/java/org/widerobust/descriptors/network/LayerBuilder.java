package org.widerobust.descriptors.network;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;
import org.widerobust.descriptors.network.Network.BatchNormStatistics;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;

/**
 * Builds a network layer by layer while tracking per-example shapes, the parameter count and multiply-adds. In
 * costing form ({@link #costing}) it only tracks: no nodes and no parameter values are made.
 */
final class LayerBuilder {
    /** Epsilon of every batch-normalisation layer (PyTorch's default). */
    static final float BN_EPSILON = 1e-5f;

    /** A value of the graph (its name is empty when costing) and its shape without the batch dimension. */
    record Value(String name, long[] shape) {}

    private final String network;
    private final long[] exampleShape;
    private final GraphBuilder graph;
    private final long seed;
    private final Mode mode;
    private final List<String> parameters = new ArrayList<>();
    private final List<BatchNormStatistics> batchNorms = new ArrayList<>();
    private final List<Long> batchNormChannels = new ArrayList<>();
    private final Map<String, String> constants = new HashMap<>();
    private long parameterCount;
    private long multiplyAdds;

    private LayerBuilder(String network, long[] exampleShape, GraphBuilder graph, long seed, Mode mode) {
        this.network = network;
        this.exampleShape = exampleShape.clone();
        this.graph = graph;
        this.seed = seed;
        this.mode = mode;
    }

    static LayerBuilder emitting(String network, long[] exampleShape, long seed, Mode mode) {
        return new LayerBuilder(network, exampleShape, new GraphBuilder(network), seed, mode);
    }

    static LayerBuilder costing(String network, long[] exampleShape) {
        return new LayerBuilder(network, exampleShape, null, 0, Mode.INFERENCE);
    }

    /** Declares the graph input {@code input} of shape {@code [N, exampleShape...]}. */
    Value input() {
        if (graph != null) {
            long[] dims = new long[exampleShape.length + 1];
            dims[0] = Shapes.BATCH;
            System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
            graph.addInput("input", DataType.FLOAT, dims);
        }
        return new Value("input", exampleShape.clone());
    }

    /** A square convolution with {@code pad} on every side; weights {@code [out, in, k, k]}. */
    Value conv(Value x, String name, int outChannels, int kernel, int stride, int pad, Init weightInit,
               Init biasInit) {
        long[] s = requireRank(x, 3, name);
        long h = pooledSize(s[1], kernel, stride, pad, name);
        long w = pooledSize(s[2], kernel, stride, pad, name);
        long[] out = {outChannels, h, w};
        multiplyAdds += outChannels * h * w * s[0] * kernel * kernel;
        List<String> inputs = new ArrayList<>(List.of(x.name(),
                parameter(name + ".weight", new long[] {outChannels, s[0], kernel, kernel}, weightInit)));
        if (biasInit != null) {
            inputs.add(parameter(name + ".bias", new long[] {outChannels}, biasInit));
        }
        return node(out, "Conv", inputs, Attr.ints("kernel_shape", kernel, kernel), Attr.ints("strides", stride, stride),
                Attr.ints("pads", pad, pad, pad, pad));
    }

    /** A biased convolution with PyTorch's default initialisation ({@link Init#pytorchDefault}). */
    Value conv(Value x, String name, int outChannels, int kernel, int stride, int pad) {
        Init init = Init.pytorchDefault(requireRank(x, 3, name)[0] * kernel * kernel);
        return conv(x, name, outChannels, kernel, stride, pad, init, init);
    }

    /** A linear layer with PyTorch's default initialisation ({@link Init#pytorchDefault}). */
    Value linear(Value x, String name, int outFeatures) {
        Init init = Init.pytorchDefault(requireRank(x, 1, name)[0]);
        return linear(x, name, outFeatures, init, init);
    }

    /** A PyTorch-style linear layer: Gemm with weights {@code [out, in]} and transB=1. */
    Value linear(Value x, String name, int outFeatures, Init weightInit, Init biasInit) {
        long in = requireRank(x, 1, name)[0];
        multiplyAdds += in * outFeatures;
        String weight = parameter(name + ".weight", new long[] {outFeatures, in}, weightInit);
        String bias = parameter(name + ".bias", new long[] {outFeatures}, biasInit);
        return node(new long[] {outFeatures}, "Gemm", List.of(x.name(), weight, bias), Attr.i("transB", 1));
    }

    Value relu(Value x) {
        return node(x.shape(), "Relu", List.of(x.name()));
    }

    Value add(Value a, Value b) {
        return node(Shapes.broadcast(a.shape(), b.shape(), network + " Add"), "Add", List.of(a.name(), b.name()));
    }

    Value maxPool(Value x, String name, int kernel, int stride) {
        long[] s = requireRank(x, 3, name);
        long[] out = {s[0], pooledSize(s[1], kernel, stride, 0, name), pooledSize(s[2], kernel, stride, 0, name)};
        return node(out, "MaxPool", List.of(x.name()), Attr.ints("kernel_shape", kernel, kernel),
                Attr.ints("strides", stride, stride));
    }

    Value globalAveragePool(Value x) {
        long[] s = requireRank(x, 3, "global average pool");
        return node(new long[] {s[0], 1, 1}, "GlobalAveragePool", List.of(x.name()));
    }

    /** Flatten with axis 1: {@code [N, d1, d2, ...] -> [N, d1·d2·...]}. */
    Value flatten(Value x) {
        return node(new long[] {Shapes.size(x.shape())}, "Flatten", List.of(x.name()), Attr.i("axis", 1));
    }

    /**
     * Batch normalisation over the channels of {@code [N, C, H, W]}: parameters {@code name.weight} (1) and
     * {@code name.bias} (0), running statistics {@code name.running_mean} (0) and {@code name.running_var} (1). The
     * inference form is one BatchNormalization node; the training form normalises with the batch statistics in
     * elementary ops and outputs them as {@code name.batch_mean} and {@code name.batch_var} (biased).
     */
    Value batchNorm(Value x, String name) {
        long c = requireRank(x, 3, name)[0];
        long[] dims = {c};
        String scale = parameter(name + ".weight", dims, Init.constant(1));
        String bias = parameter(name + ".bias", dims, Init.constant(0));
        String mean = buffer(name + ".running_mean", dims, 0);
        String var = buffer(name + ".running_var", dims, 1);
        if (graph == null) {
            return x;
        }
        if (mode == Mode.INFERENCE) {
            return node(x.shape(), "BatchNormalization", List.of(x.name(), scale, bias, mean, var),
                    Attr.f("epsilon", BN_EPSILON));
        }
        String batchMean = graph.op("ReduceMean", x.name(), Attr.ints("axes", 0, 2, 3), Attr.i("keepdims", 1));
        String centred = graph.op("Sub", x.name(), batchMean);
        String batchVar = graph.op("ReduceMean", graph.op("Mul", centred, centred), Attr.ints("axes", 0, 2, 3),
                Attr.i("keepdims", 1));
        String invStd = graph.op("Reciprocal", graph.op("Sqrt", graph.op("Add", batchVar, epsilon())));
        String scaled = graph.op("Mul", graph.op("Mul", centred, invStd), graph.op("Reshape", scale, shape(c, 1, 1)));
        String y = graph.op("Add", scaled, graph.op("Reshape", bias, shape(c, 1, 1)));
        String meanOut = reshapeTo(batchMean, name + ".batch_mean", c);
        String varOut = reshapeTo(batchVar, name + ".batch_var", c);
        batchNorms.add(new BatchNormStatistics(meanOut, varOut, mean, var));
        batchNormChannels.add(c);
        return new Value(y, x.shape());
    }

    /**
     * Renames {@code logits}, which must be the output of the last node, to {@code logits}; declares it as the first
     * graph output and any batch statistics after it; and assembles the network.
     */
    Network finish(Value logits, int numClasses) {
        if (graph == null) {
            throw new IllegalStateException("a costing builder makes no network");
        }
        var last = graph.proto().getNodeBuilder(graph.proto().getNodeCount() - 1);
        if (!last.getOutput(0).equals(logits.name())) {
            throw new IllegalStateException("the logits must come from the last node");
        }
        String out = graph.fresh("logits");
        last.setOutput(0, out);
        graph.addOutput(out, DataType.FLOAT, Shapes.BATCH, numClasses);
        for (int i = 0; i < batchNorms.size(); i++) {
            graph.addOutput(batchNorms.get(i).batchMean(), DataType.FLOAT, batchNormChannels.get(i));
            graph.addOutput(batchNorms.get(i).batchVar(), DataType.FLOAT, batchNormChannels.get(i));
        }
        return new Network(network, graph.build(), "input", out, exampleShape, numClasses, parameters, batchNorms,
                new float[] {0f, 1f});
    }

    /**
     * The element count of a weight tensor.
     *
     * @throws IllegalArgumentException if it exceeds what one tensor (a Java array) can hold, naming the tensor
     */
    private long tensorSize(String name, long[] dims) {
        long n;
        try {
            n = java.util.Arrays.stream(dims).reduce(1L, Math::multiplyExact);
        } catch (ArithmeticException overflow) {
            n = Long.MAX_VALUE;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(network + ": weight " + name + " " + java.util.Arrays.toString(dims)
                    + " would have more elements than one tensor can hold (2^31 - 1); choose a smaller width");
        }
        return n;
    }

    CostReport cost() {
        return new CostReport(network, parameterCount, multiplyAdds);
    }

    private String parameter(String name, long[] dims, Init init) {
        long n = tensorSize(name, dims);
        parameterCount += n;
        parameters.add(name);
        if (graph != null) {
            graph.addInitializer(name, dims, init.sample(Math.toIntExact(n), Init.random(seed, name)));
        }
        return name;
    }

    private String buffer(String name, long[] dims, float value) {
        if (graph != null) {
            graph.addInitializer(name, dims, Init.constant(value).sample(Math.toIntExact(tensorSize(name, dims)),
                    null));
        }
        return name;
    }

    private Value node(long[] shape, String opType, List<String> inputs, AttributeProto... attrs) {
        return new Value(graph == null ? "" : graph.op(opType, inputs, attrs), shape);
    }

    private String reshapeTo(String value, String outputName, long c) {
        String out = graph.fresh(outputName);
        graph.addNode("Reshape", List.of(value, shape(c)), List.of(out));
        return out;
    }

    private String epsilon() {
        return constants.computeIfAbsent("eps", k -> graph.scalar("bn_epsilon", BN_EPSILON));
    }

    private String shape(long... dims) {
        return constants.computeIfAbsent(Arrays.toString(dims), k -> graph.longs("shape", dims));
    }

    private long[] requireRank(Value x, int rank, String layer) {
        if (x.shape().length != rank) {
            throw new IllegalArgumentException(network + ": layer " + layer + " needs " + rank
                    + "-dimensional examples but gets " + Shapes.str(x.shape()) + " from input shape "
                    + Shapes.str(exampleShape) + (rank == 3 ? " (expected [C, H, W])" : ""));
        }
        return x.shape();
    }

    private long pooledSize(long size, int kernel, int stride, int pad, String layer) {
        long span = size + 2L * pad - kernel;
        if (span < 0) {
            throw new IllegalArgumentException(network + ": input shape " + Shapes.str(exampleShape)
                    + " is too small: layer " + layer + " gets spatial size " + size + " but its kernel is " + kernel
                    + (pad > 0 ? " with padding " + pad : ""));
        }
        return span / stride + 1;
    }
}
