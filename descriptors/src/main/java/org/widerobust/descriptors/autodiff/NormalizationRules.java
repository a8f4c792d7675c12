package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/** Gradients of BatchNormalization (inference form), Softmax, LogSoftmax and the mean/sum reductions. */
final class NormalizationRules {
    private NormalizationRules() {}

    static void register(Map<String, BackwardRule> r) {
        r.put("BatchNormalization", NormalizationRules::batchNorm);
        r.put("Softmax", NormalizationRules::softmax);
        r.put("LogSoftmax", NormalizationRules::logSoftmax);
        r.put("ReduceMean", (n, c) -> reduce(n, c, true));
        r.put("ReduceSum", (n, c) -> reduce(n, c, false));
        r.put("LayerNormalization", NormalizationRules::layerNorm);
    }

    /**
     * LayerNormalization (opset 17) over the axes from {@code axis} on, M elements each: with x̂ = (x - mean) r,
     * r = 1 / sqrt(var + eps) and g = dy * scale, dx = r (g - mean(g) - x̂ mean(g x̂)); dscale and dbias sum dy x̂ and
     * dy over the broadcast axes. The statistics are recomputed from x (ReduceSum, valid at every opset from 13).
     */
    private static void layerNorm(NodeProto n, BackwardContext c) {
        if (c.outputGradient(n, 1) != null || c.outputGradient(n, 2) != null) {
            throw c.unsupported(n, "its Mean or InvStdDev output is used downstream");
        }
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        long[] xs = c.shape(x);
        int axis = Shapes.axis(Attr.getInt(n, "axis", -1), xs.length);
        long m = 1;
        long[] axes = new long[xs.length - axis];
        for (int i = axis; i < xs.length; i++) {
            if (xs[i] < 0) {
                throw c.unsupported(n, "normalising over the batch axis");
            }
            m *= xs[i];
            axes[i - axis] = i;
        }
        String ax = g.longs("ln_axes", axes);
        String invM = g.scalar("ln_inv_count", 1f / m);
        float eps = Attr.getFloat(n, "epsilon", 1e-5f);
        String mean = g.op("Mul", g.op("ReduceSum", x, ax, Attr.i("keepdims", 1)), invM);
        String xc = g.op("Sub", x, mean);
        String var = g.op("Mul", g.op("ReduceSum", g.op("Mul", xc, xc), ax, Attr.i("keepdims", 1)), invM);
        String r = g.op("Reciprocal", g.op("Sqrt", g.op("Add", var, g.scalar("eps", eps))));
        String xhat = g.op("Mul", xc, r);
        String dy = c.outputGradient(n, 0);
        if (c.needs(n, 0)) {
            String gs = g.op("Mul", dy, n.getInput(1));
            String m1 = g.op("Mul", g.op("ReduceSum", gs, ax, Attr.i("keepdims", 1)), invM);
            String m2 = g.op("Mul", g.op("ReduceSum", g.op("Mul", gs, xhat), ax, Attr.i("keepdims", 1)), invM);
            c.add(x, g.op("Mul", r, g.op("Sub", g.op("Sub", gs, m1), g.op("Mul", xhat, m2))));
        }
        if (c.needs(n, 1)) {
            c.add(n.getInput(1), c.unbroadcast(g.op("Mul", dy, xhat), xs, c.shape(n.getInput(1))));
        }
        if (c.needs(n, 2)) {
            c.add(n.getInput(2), c.unbroadcast(dy, xs, c.shape(n.getInput(2))));
        }
    }

    /** y = (x - mean) / sqrt(var + eps) * scale + bias with fixed (running) statistics. */
    private static void batchNorm(NodeProto n, BackwardContext c) {
        if (Attr.getInt(n, "training_mode", 0) != 0 || n.getOutputCount() > 1) {
            throw c.unsupported(n, "training-mode BatchNormalization; build batch statistics from primitive ops");
        }
        if (c.needs(n, 3) || c.needs(n, 4)) {
            throw c.unsupported(n, "the running mean and variance are buffers, not parameters");
        }
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        long[] xs = c.shape(x);
        long[] chShape = new long[xs.length - 1];
        Arrays.fill(chShape, 1);
        chShape[0] = -1;
        String chTarget = g.longs("channel_shape", chShape);
        float eps = Attr.getFloat(n, "epsilon", 1e-5f);
        String invStd = g.op("Reciprocal", g.op("Sqrt", g.op("Add", n.getInput(4), g.scalar("eps", eps))));
        String dy = c.outputGradient(n, 0);
        if (c.needs(n, 0)) {
            String factor = g.op("Reshape", g.op("Mul", n.getInput(1), invStd), chTarget);
            c.add(x, g.op("Mul", dy, factor));
        }
        String axes = c.needs(n, 1) || c.needs(n, 2) ? g.longs("axes", allButChannel(xs.length)) : null;
        if (c.needs(n, 1)) {
            String centred = g.op("Sub", x, g.op("Reshape", n.getInput(3), chTarget));
            String xhat = g.op("Mul", centred, g.op("Reshape", invStd, chTarget));
            c.add(n.getInput(1), g.op("ReduceSum", g.op("Mul", dy, xhat), axes, Attr.i("keepdims", 0)));
        }
        if (c.needs(n, 2)) {
            c.add(n.getInput(2), g.op("ReduceSum", dy, axes, Attr.i("keepdims", 0)));
        }
    }

    private static long[] allButChannel(int rank) {
        long[] axes = new long[rank - 1];
        axes[0] = 0;
        for (int i = 2; i < rank; i++) {
            axes[i - 1] = i;
        }
        return axes;
    }

    private static long softmaxAxis(NodeProto n, BackwardContext c) {
        int rank = c.shape(n.getInput(0)).length;
        boolean modern = c.shapes().opset() >= 13;
        int axis = Shapes.axis(Attr.getInt(n, "axis", modern ? -1 : 1), rank);
        if (!modern && axis != rank - 1) {
            throw c.unsupported(n, "opset < 13 softmax over flattened trailing axes");
        }
        return axis;
    }

    /** dx = y (dy - sum(dy y)). */
    private static void softmax(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String y = n.getOutput(0);
        String dy = c.outputGradient(n, 0);
        String axis = g.longs("axes", softmaxAxis(n, c));
        String dot = g.op("ReduceSum", g.op("Mul", dy, y), axis, Attr.i("keepdims", 1));
        c.add(n.getInput(0), g.op("Mul", y, g.op("Sub", dy, dot)));
    }

    /** dx = dy - exp(y) sum(dy). */
    private static void logSoftmax(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        String dy = c.outputGradient(n, 0);
        String axis = g.longs("axes", softmaxAxis(n, c));
        String total = g.op("ReduceSum", dy, axis, Attr.i("keepdims", 1));
        c.add(n.getInput(0), g.op("Sub", dy, g.op("Mul", g.op("Exp", n.getOutput(0)), total)));
    }

    /** Broadcasts the output gradient back over the reduced axes (divided by the count for a mean). */
    private static void reduce(NodeProto n, BackwardContext c, boolean mean) {
        GraphBuilder g = c.g();
        String x = n.getInput(0);
        String dy = c.outputGradient(n, 0);
        if (Attr.getInt(n, "keepdims", 1) == 0) {
            long[] xs = c.shape(x);
            long[] ys = c.shape(n.getOutput(0));
            if (ys.length != xs.length) {
                long[] keep = keptShape(n, c, xs);
                long[] target = new long[keep.length];
                for (int i = 0; i < keep.length; i++) {
                    target[i] = keep[i] < 0 ? 0 : keep[i];
                }
                dy = g.op("Reshape", dy, g.longs("kept_shape", target));
            }
        }
        String grad = g.op("Expand", dy, c.shapeOf(x));
        if (mean) {
            String ratio = g.op("Div", toFloat(g, g.op("Size", n.getOutput(0))), toFloat(g, g.op("Size", x)));
            grad = g.op("Mul", grad, ratio);
        }
        c.add(x, grad);
    }

    private static long[] keptShape(NodeProto n, BackwardContext c, long[] xs) {
        long[] axes = Attr.getInts(n, "axes", null);
        if (axes == null && n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            axes = c.shapes().constInts(n.getInput(1));
        }
        long[] kept = xs.clone();
        if (axes == null) {
            Arrays.fill(kept, 1);
        } else {
            for (long a : axes) {
                kept[Shapes.axis(a, xs.length)] = 1;
            }
        }
        if (kept.length > 0 && kept[0] < 0) {
            for (int i = 1; i < kept.length; i++) {
                if (kept[i] < 0) {
                    throw c.unsupported(n, "more than one symbolic dimension");
                }
            }
        }
        return kept;
    }

    private static String toFloat(GraphBuilder g, String v) {
        return g.op("Cast", v, Attr.i("to", DataType.FLOAT.getNumber()));
    }

}
