package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.SpatialGeometry;

/** Gradients of MaxPool, AveragePool and GlobalAveragePool. */
final class PoolRules {
    private PoolRules() {}

    static void register(Map<String, BackwardRule> r) {
        r.put("MaxPool", PoolRules::maxPool);
        r.put("AveragePool", PoolRules::averagePool);
        r.put("GlobalAveragePool", PoolRules::globalAveragePool);
    }

    /**
     * Routes each output gradient to the arg-max element of its window (the first one among ties, as PyTorch does;
     * ties are common on flat image regions), using the indices MaxPool can output: MaxUnpool when windows do not
     * overlap, a summing ScatterElements when they do.
     */
    private static void maxPool(NodeProto n, BackwardContext c) {
        if (Attr.getInt(n, "storage_order", 0) != 0) {
            throw c.unsupported(n, "storage_order 1 is not supported");
        }
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        long[] xs = c.shape(x);
        long[] kernel = Attr.getInts(n, "kernel_shape", null);
        SpatialGeometry geo = SpatialGeometry.of(n, kernel, Arrays.copyOfRange(xs, 2, xs.length));
        String dy = c.outputGradient(n, 0);
        if (c.isSoleReluInput(x)) {
            // Gradients land only on arg-max elements, where the ReLU output equals the pooled value: apply the ReLU
            // mask here, on the pooled (smaller) tensor, and let the Relu pass its gradient through.
            dy = g.op("Mul", dy, c.mask(g.op("Greater", n.getOutput(0), g.scalar("zero", 0f))));
            c.markReluMasked(x);
        }
        boolean unpadded = Arrays.stream(geo.pads()).allMatch(p -> p == 0);
        boolean undilated = Arrays.stream(geo.dilations()).allMatch(d -> d == 1);
        String indices = c.extraForwardOutput(n, 1);
        if (geo.nonOverlapping() && unpadded && undilated) {
            // Without an explicit output shape ONNX Runtime's shape inference keeps the symbolic batch dimension,
            // which lets its layout optimizer keep the next elementwise ops in the blocked layout.
            List<String> inputs = Arrays.equals(unpooledSize(geo), geo.input()) ? List.of(dy, indices)
                    : List.of(dy, indices, c.shapeOf(x));
            c.add(x, g.op("MaxUnpool", inputs, Attr.ints("kernel_shape", kernel), Attr.ints("strides", geo.strides())));
            return;
        }
        String flat = g.longs("flat", -1);
        String zeros = g.op("ConstantOfShape", g.op("Shape", g.op("Reshape", x, flat)));
        String scattered = g.op("ScatterElements", List.of(zeros, g.op("Reshape", indices, flat),
                g.op("Reshape", dy, flat)), Attr.i("axis", 0), Attr.s("reduction", "add"));
        c.add(x, c.reshapeLike(scattered, x));
    }

    /** MaxUnpool's default output size, {@code (out - 1) * stride + kernel} per axis. */
    private static long[] unpooledSize(SpatialGeometry geo) {
        long[] size = new long[geo.kernel().length];
        for (int i = 0; i < size.length; i++) {
            size[i] = (geo.output()[i] - 1) * geo.strides()[i] + geo.kernel()[i];
        }
        return size;
    }

    /** Spreads each output gradient evenly over its window with a depthwise ConvTranspose of ones. */
    private static void averagePool(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        long[] xs = c.shape(x);
        long[] kernel = Attr.getInts(n, "kernel_shape", null);
        SpatialGeometry geo = SpatialGeometry.of(n, kernel, Arrays.copyOfRange(xs, 2, xs.length));
        long[] outPad = geo.transposeOutputPadding();
        for (int i = 0; i < outPad.length; i++) {
            if (outPad[i] < 0 || outPad[i] >= geo.strides()[i]) {
                throw c.unsupported(n, "ceil_mode windows that run past the padding are not supported");
            }
        }
        if (Arrays.stream(geo.dilations()).anyMatch(d -> d != 1)) {
            throw c.unsupported(n, "dilated average pooling is not supported");
        }
        boolean padded = Arrays.stream(geo.pads()).anyMatch(p -> p != 0);
        boolean includePad = Attr.getInt(n, "count_include_pad", 0) == 1;
        String scaled = g.op("Div", c.outputGradient(n, 0), (padded && !includePad) ? counts(g, geo)
                : g.scalar("window", (float) product(kernel)));
        long channels = xs[1];
        long[] wdims = new long[2 + kernel.length];
        wdims[0] = channels;
        wdims[1] = 1;
        System.arraycopy(kernel, 0, wdims, 2, kernel.length);
        float[] ones = new float[Math.toIntExact(product(wdims))];
        Arrays.fill(ones, 1f);
        String w = g.constant("avgpool_ones", wdims, ones);
        c.add(x, g.op("ConvTranspose", List.of(scaled, w), Attr.ints("strides", geo.strides()),
                Attr.ints("pads", geo.pads()), Attr.i("group", channels), Attr.ints("kernel_shape", kernel),
                Attr.ints("output_padding", outPad)));
    }

    /** Number of unpadded input elements under each window, shape [1, 1, out...]. */
    private static String counts(GraphBuilder g, SpatialGeometry geo) {
        int r = geo.kernel().length;
        long[] out = geo.output();
        int total = Math.toIntExact(product(out));
        float[] v = new float[total];
        for (int flat = 0; flat < total; flat++) {
            long rem = flat;
            long cnt = 1;
            for (int a = r - 1; a >= 0; a--) {
                long o = rem % out[a];
                rem /= out[a];
                long start = o * geo.strides()[a] - geo.padBegin()[a];
                long lo = Math.max(0, start);
                long hi = Math.min(geo.input()[a], start + geo.kernel()[a]);
                cnt *= Math.max(0, hi - lo);
            }
            v[flat] = cnt;
        }
        long[] dims = new long[r + 2];
        dims[0] = 1;
        dims[1] = 1;
        System.arraycopy(out, 0, dims, 2, r);
        return g.constant("avgpool_counts", dims, v);
    }

    private static void globalAveragePool(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        long[] xs = c.shape(x);
        long area = product(Arrays.copyOfRange(xs, 2, xs.length));
        String scaled = g.op("Div", c.outputGradient(n, 0), g.scalar("area", (float) area));
        c.add(x, g.op("Expand", scaled, c.shapeOf(x)));
    }

    private static long product(long[] v) {
        long p = 1;
        for (long d : v) {
            p *= d;
        }
        return p;
    }
}
