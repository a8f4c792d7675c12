package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.SpatialGeometry;

/**
 * Gradient of Conv. The input gradient is a ConvTranspose with the same weights and geometry (a Conv with flipped
 * weights when the stride is 1). The weight gradient
 * is one Gemm per kernel offset over strided slices of the input; grouped convolutions use an im2col by a grouped
 * Conv with one-hot kernels followed by one batched MatMul.
 */
final class ConvRules {
    private ConvRules() {}

    static void register(Map<String, BackwardRule> r) {
        r.put("Conv", ConvRules::conv);
    }

    private static void conv(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        String w = n.getInput(1);
        String dy = c.outputGradient(n, 0);
        long[] xs = c.shape(x);
        long[] ws = c.shape(w);
        int r = xs.length - 2;
        long[] kernel = Arrays.copyOfRange(ws, 2, ws.length);
        SpatialGeometry geo = SpatialGeometry.of(n, kernel, Arrays.copyOfRange(xs, 2, xs.length));
        long group = Attr.getInt(n, "group", 1);
        if (c.needs(n, 0)) {
            c.add(x, flippedConvApplies(geo, group, xs[1]) ? flippedConv(g, dy, w, geo)
                    : transposedConv(c, n, dy, w, geo, group));
        }
        if (c.needs(n, 1)) {
            c.add(w, weightGradient(c, x, dy, xs, ws, geo, group));
        }
        if (c.needs(n, 2)) {
            long[] axes = new long[r + 1];
            for (int i = 1; i <= r; i++) {
                axes[i] = i + 1;
            }
            c.add(n.getInput(2), g.op("ReduceSum", dy, g.longs("axes", axes), Attr.i("keepdims", 0)));
        }
    }

    /**
     * For stride 1 and one group the input gradient is itself a convolution, with the weights transposed and
     * flipped and the padding mirrored. ONNX Runtime runs Conv much faster than ConvTranspose (blocked layouts and
     * Conv+activation fusion), and folds the weight rewrite into a constant when the weights are fixed. The flipped
     * Conv outputs the forward input's channels, which the blocked kernels pad to {@link BlockedLayout#BLOCK}:
     * with fewer (an image layer's 1 or 3 channels) the ConvTranspose does less work and is faster.
     */
    private static boolean flippedConvApplies(SpatialGeometry geo, long group, long inputChannels) {
        if (group != 1 || inputChannels < BlockedLayout.BLOCK) {
            return false;
        }
        for (int i = 0; i < geo.kernel().length; i++) {
            long reach = geo.dilations()[i] * (geo.kernel()[i] - 1);
            if (geo.strides()[i] != 1 || geo.padBegin()[i] > reach || geo.padEnd()[i] > reach) {
                return false;
            }
        }
        return true;
    }

    private static String flippedConv(GraphBuilder g, String dy, String w, SpatialGeometry geo) {
        int r = geo.kernel().length;
        long[] perm = new long[r + 2];
        perm[0] = 1;
        perm[1] = 0;
        long[] axes = new long[r];
        long[] starts = new long[r];
        long[] ends = new long[r];
        long[] steps = new long[r];
        long[] pads = new long[2 * r];
        for (int i = 0; i < r; i++) {
            perm[i + 2] = i + 2;
            axes[i] = i + 2;
            starts[i] = -1;
            ends[i] = Long.MIN_VALUE;
            steps[i] = -1;
            long reach = geo.dilations()[i] * (geo.kernel()[i] - 1);
            pads[i] = reach - geo.padBegin()[i];
            pads[i + r] = reach - geo.padEnd()[i];
        }
        String transposed = g.op("Transpose", w, Attr.ints("perm", perm));
        String flipped = g.op("Slice", List.of(transposed, g.longs("starts", starts), g.longs("ends", ends),
                g.longs("axes", axes), g.longs("steps", steps)));
        return g.op("Conv", List.of(dy, flipped), Attr.ints("pads", pads), Attr.ints("dilations", geo.dilations()),
                Attr.ints("kernel_shape", geo.kernel()));
    }

    private static String transposedConv(BackwardContext c, NodeProto n, String dy, String w, SpatialGeometry geo,
                                         long group) {
        int r = geo.kernel().length;
        long[] outPad = geo.transposeOutputPadding();
        for (int i = 0; i < r; i++) {
            if (outPad[i] < 0 || outPad[i] >= Math.max(geo.strides()[i], geo.dilations()[i])) {
                throw c.unsupported(n, "geometry has no exact transposed convolution");
            }
        }
        return c.g().op("ConvTranspose", List.of(dy, w), Attr.ints("strides", geo.strides()),
                Attr.ints("pads", geo.pads()), Attr.ints("dilations", geo.dilations()), Attr.i("group", group),
                Attr.ints("kernel_shape", geo.kernel()), Attr.ints("output_padding", outPad));
    }

    private static String weightGradient(BackwardContext c, String x, String dy, long[] xs, long[] ws,
                                         SpatialGeometry geo, long group) {
        GraphBuilder g = c.g();
        long channels = xs[1];
        long kk = 1;
        for (long k : geo.kernel()) {
            kk *= k;
        }
        if (group == 1) {
            return shiftedGemmWeightGradient(c, x, dy, xs, ws, geo);
        }
        String cols = isPointwise(geo) ? x : im2col(g, x, channels, geo);
        long outCh = ws[0];
        long colRows = channels * kk;
        long outPerGroup = outCh / group;
        long rowsPerGroup = colRows / group;
        String dy3 = groupRows(g, dy, group, outPerGroup, new long[] {1, 2, 0, 3});
        String cols3 = groupRows(g, cols, group, rowsPerGroup, new long[] {1, 2, 0, 3});
        String colsT = g.op("Transpose", cols3, Attr.ints("perm", 0, 2, 1));
        String dw = g.op("MatMul", dy3, colsT);
        return g.op("Reshape", dw, g.longs("wshape", ws));
    }

    /**
     * One group: dW[co, ci, k] = sum over n and o of dY[n, co, o] · Xpad[n, ci, o·s + k·d]. For each kernel offset k
     * a strided slice of X (batch and channel axes swapped, so the slice is already [CI, N·L]) meets dY as [N·L, CO]
     * in one Gemm with a long reduction axis, which runs near the machine's peak; im2col is never materialised.
     */
    private static String shiftedGemmWeightGradient(BackwardContext c, String x, String dy, long[] xs, long[] ws,
                                                    SpatialGeometry geo) {
        GraphBuilder g = c.g();
        int r = geo.kernel().length;
        long inCh = xs[1];
        long outCh = ws[0];
        String xp = x;
        if (Arrays.stream(geo.pads()).anyMatch(p -> p != 0)) {
            long[] pads = new long[2 * (r + 2)];
            for (int i = 0; i < r; i++) {
                pads[i + 2] = geo.padBegin()[i];
                pads[r + 2 + i + 2] = geo.padEnd()[i];
            }
            xp = g.op("Pad", x, g.longs("pads", pads));
        }
        long[] swap = new long[r + 2];
        long[] axes = new long[r];
        swap[0] = 1;
        swap[1] = 0;
        for (int i = 0; i < r; i++) {
            swap[i + 2] = i + 2;
            axes[i] = i + 2;
        }
        String xt = g.op("Transpose", xp, Attr.ints("perm", swap));
        String dyRows = g.op("Reshape", g.op("Transpose", g.op("Reshape", dy, g.longs("shape", 0, outCh, -1)),
                Attr.ints("perm", 0, 2, 1)), g.longs("shape", -1, outCh));
        String axesName = g.longs("axes", axes);
        String stepsName = g.longs("steps", geo.strides());
        String rowsShape = g.longs("shape", inCh, -1);
        int kk = 1;
        for (long k : geo.kernel()) {
            kk *= (int) k;
        }
        List<String> perOffset = new java.util.ArrayList<>();
        long[] offset = new long[r];
        for (int flat = 0; flat < kk; flat++) {
            int rem = flat;
            for (int i = r - 1; i >= 0; i--) {
                offset[i] = rem % geo.kernel()[i];
                rem /= (int) geo.kernel()[i];
            }
            long[] starts = new long[r];
            long[] ends = new long[r];
            for (int i = 0; i < r; i++) {
                starts[i] = offset[i] * geo.dilations()[i];
                ends[i] = starts[i] + (geo.output()[i] - 1) * geo.strides()[i] + 1;
            }
            String shifted = g.op("Slice", List.of(xt, g.longs("starts", starts), g.longs("ends", ends), axesName,
                    stepsName));
            perOffset.add(g.op("Gemm", g.op("Reshape", shifted, rowsShape), dyRows));
        }
        String stacked = g.op("Concat", perOffset, Attr.i("axis", 0));
        String kio = g.op("Reshape", stacked, g.longs("shape", kk, inCh, outCh));
        String oik = g.op("Transpose", kio, Attr.ints("perm", 2, 1, 0));
        return g.op("Reshape", oik, g.longs("wshape", ws));
    }

    private static boolean isPointwise(SpatialGeometry geo) {
        for (int i = 0; i < geo.kernel().length; i++) {
            if (geo.kernel()[i] != 1 || geo.strides()[i] != 1 || geo.padBegin()[i] != 0 || geo.padEnd()[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** [N, C, in...] to [N, C*K, out...]: output channel c*K + j holds kernel tap j of input channel c. */
    private static String im2col(GraphBuilder g, String x, long channels, SpatialGeometry geo) {
        int kk = 1;
        for (long k : geo.kernel()) {
            kk *= (int) k;
        }
        long[] dims = new long[2 + geo.kernel().length];
        dims[0] = channels * kk;
        dims[1] = 1;
        System.arraycopy(geo.kernel(), 0, dims, 2, geo.kernel().length);
        float[] onehot = new float[Math.toIntExact(channels * kk * kk)];
        for (int ch = 0; ch < channels; ch++) {
            for (int j = 0; j < kk; j++) {
                onehot[(ch * kk + j) * kk + j] = 1f;
            }
        }
        String w = g.constant("im2col_onehot", dims, onehot);
        return g.op("Conv", List.of(x, w), Attr.ints("strides", geo.strides()), Attr.ints("pads", geo.pads()),
                Attr.ints("dilations", geo.dilations()), Attr.i("group", channels),
                Attr.ints("kernel_shape", geo.kernel()));
    }

    /** [N, G*R, spatial...] to [G, R, N*L]. */
    private static String groupRows(GraphBuilder g, String t, long group, long rows, long[] perm) {
        String r4 = g.op("Reshape", t, g.longs("shape", 0, group, rows, -1));
        String tr = g.op("Transpose", r4, Attr.ints("perm", perm));
        return g.op("Reshape", tr, g.longs("shape", group, rows, -1));
    }
}
