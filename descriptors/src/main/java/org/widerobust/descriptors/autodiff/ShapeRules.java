package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;

/** Gradients of ops that only move data: reshapes, transposes, concatenation, padding and identities. */
final class ShapeRules {
    private ShapeRules() {}

    static void register(Map<String, BackwardRule> r) {
        BackwardRule reshapeBack = (n, c) -> c.add(n.getInput(0), reshapeBack(c, c.outputGradient(n, 0),
                n.getInput(0), n.getOutput(0)));
        for (String op : List.of("Flatten", "Reshape", "Squeeze", "Unsqueeze")) {
            r.put(op, reshapeBack);
        }
        BackwardRule identity = (n, c) -> c.add(n.getInput(0), c.outputGradient(n, 0));
        r.put("Identity", identity);
        r.put("Dropout", identity);
        r.put("Transpose", ShapeRules::transpose);
        r.put("Concat", ShapeRules::concat);
        r.put("Pad", ShapeRules::pad);
        r.put("Expand", (n, c) -> c.add(n.getInput(0), c.unbroadcastTo(n, c.outputGradient(n, 0), 0)));
        r.put("Split", ShapeRules::split);
        r.put("Slice", ShapeRules::slice);
        r.put("Gather", ShapeRules::gather);
    }

    /** Concatenates the output gradients (zeros for outputs nobody reads) along the split axis. */
    private static void split(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        int rank = c.shape(n.getInput(0)).length;
        long axis = Shapes.axis(Attr.getInt(n, "axis", 0), rank);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n.getOutputCount(); i++) {
            String d = c.outputGradient(n, i);
            parts.add(d != null ? d : g.op("ConstantOfShape", c.shapeOf(n.getOutput(i)), Attr.tensor("value",
                    org.widerobust.descriptors.graph.Tensors.floats("value", new long[] {1}, new float[] {0f}))));
        }
        c.add(n.getInput(0), g.op("Concat", parts, Attr.i("axis", axis)));
    }

    /** Step-1 slices with constant bounds: the gradient padded back with zeros to the input's extent. */
    private static void slice(NodeProto n, BackwardContext c) {
        long[] xs = c.shape(n.getInput(0));
        long[] starts = constant(n, c, 1, "starts");
        long[] ends = constant(n, c, 2, "ends");
        long[] axes = n.getInputCount() > 3 && !n.getInput(3).isEmpty() ? constant(n, c, 3, "axes") : null;
        long[] steps = n.getInputCount() > 4 && !n.getInput(4).isEmpty() ? constant(n, c, 4, "steps") : null;
        long[] pads = new long[2 * xs.length];
        for (int i = 0; i < starts.length; i++) {
            int a = Shapes.axis(axes == null ? i : axes[i], xs.length);
            long step = steps == null ? 1 : steps[i];
            if (step != 1) {
                throw c.unsupported(n, "slice steps other than 1");
            }
            if (xs[a] < 0) {
                if (starts[i] != 0 || ends[i] < Integer.MAX_VALUE) {
                    throw c.unsupported(n, "slicing the batch axis");
                }
                continue;
            }
            long[] r = org.widerobust.descriptors.graph.ShapeInference.sliceRange(starts[i], ends[i], 1, xs[a]);
            pads[a] = r[0];
            pads[a + xs.length] = xs[a] - r[0] - r[1];
        }
        c.add(n.getInput(0), c.g().op("Pad", c.outputGradient(n, 0), c.g().longs("pads", pads)));
    }

    /**
     * Gather of float data at constant indices (a scalar, e.g. the class token {@code x[:, 0]}, or a vector): each
     * selected slice of the gradient is padded back to its position along the axis, and the slices summed.
     */
    private static void gather(NodeProto n, BackwardContext c) {
        if (c.needs(n, 1)) {
            throw c.unsupported(n, "indices depend on the differentiated values");
        }
        GraphBuilder g = c.g();
        long[] xs = c.shape(n.getInput(0));
        int axis = Shapes.axis(Attr.getInt(n, "axis", 0), xs.length);
        long[] idx = constant(n, c, 1, "indices");
        long[] idxShape = c.shape(n.getInput(1));
        if (xs[axis] < 0 || idxShape.length > 1 || idx.length > 64) {
            throw c.unsupported(n, "only a constant scalar or short vector of indices along a static axis");
        }
        String dy = c.outputGradient(n, 0);
        List<String> slices = new ArrayList<>();
        if (idxShape.length == 0) {
            slices.add(g.op("Unsqueeze", dy, g.longs("axes", axis)));
        } else if (idx.length == 1) {
            slices.add(dy);
        } else {
            long[] ones = new long[idx.length];
            java.util.Arrays.fill(ones, 1);
            slices.addAll(List.of(g.ops("Split", List.of(dy, g.longs("split", ones)), idx.length,
                    Attr.i("axis", axis))));
        }
        List<String> placed = new ArrayList<>();
        for (int j = 0; j < slices.size(); j++) {
            long at = idx[j] < 0 ? idx[j] + xs[axis] : idx[j];
            long[] pads = new long[2 * xs.length];
            pads[axis] = at;
            pads[axis + xs.length] = xs[axis] - at - 1;
            placed.add(g.op("Pad", slices.get(j), g.longs("pads", pads)));
        }
        c.add(n.getInput(0), placed.size() == 1 ? placed.get(0) : g.op("Sum", placed));
    }

    private static long[] constant(NodeProto n, BackwardContext c, int i, String what) {
        long[] v = c.shapes().constInts(n.getInput(i));
        if (v == null) {
            throw c.unsupported(n, what + " must be constant");
        }
        return v;
    }

    /**
     * Reshapes the gradient of {@code out} back to the shape of {@code in}. When both lead with the batch and all
     * else is static, the target is a constant that copies the batch dimension ({@code 0}): ONNX Runtime's shape
     * inference then keeps the symbolic batch, which its layout optimizer needs to keep later ops blocked.
     */
    private static String reshapeBack(BackwardContext c, String grad, String in, String out) {
        long[] xs = c.shape(in);
        long[] ys = c.shape(out);
        boolean batchLed = xs.length > 0 && ys.length > 0 && xs[0] == Shapes.BATCH && ys[0] == Shapes.BATCH
                && Arrays.stream(xs).skip(1).allMatch(d -> d >= 0) && Arrays.stream(ys).skip(1).allMatch(d -> d >= 0)
                && Shapes.size(xs) == Shapes.size(ys);
        if (!batchLed) {
            return c.reshapeLike(grad, in);
        }
        long[] target = xs.clone();
        target[0] = 0;
        return c.g().op("Reshape", grad, c.g().longs("shape", target));
    }

    private static void transpose(NodeProto n, BackwardContext c) {
        int rank = c.shape(n.getInput(0)).length;
        long[] perm = Attr.getInts(n, "perm", null);
        long[] inv = new long[rank];
        for (int i = 0; i < rank; i++) {
            inv[perm == null ? rank - 1 - i : (int) perm[i]] = i;
        }
        c.add(n.getInput(0), c.g().op("Transpose", c.outputGradient(n, 0), Attr.ints("perm", inv)));
    }

    /** Splits the gradient along the concatenation axis (sizes from Shape when an input has the batch there). */
    private static void concat(NodeProto n, BackwardContext c) {
        GraphBuilder g = c.g();
        int rank = c.shape(n.getInput(0)).length;
        long axis = Shapes.axis(Attr.getInt(n, "axis", 0), rank);
        List<String> sizes = new ArrayList<>();
        long[] known = new long[n.getInputCount()];
        boolean dynamic = false;
        for (int i = 0; i < n.getInputCount(); i++) {
            known[i] = c.shape(n.getInput(i))[(int) axis];
            dynamic |= known[i] < 0;
        }
        String split;
        if (dynamic) {
            for (String in : n.getInputList()) {
                sizes.add(g.op("Gather", c.shapeOf(in), g.longs("axis", axis), Attr.i("axis", 0)));
            }
            split = g.op("Concat", sizes, Attr.i("axis", 0));
        } else {
            split = g.longs("split", known);
        }
        String[] parts = g.ops("Split", List.of(c.outputGradient(n, 0), split), n.getInputCount(),
                Attr.i("axis", axis));
        for (int i = 0; i < n.getInputCount(); i++) {
            if (c.needs(n, i)) {
                c.add(n.getInput(i), parts[i]);
            }
        }
    }

    /** Constant padding: the gradient of the unpadded region. */
    private static void pad(NodeProto n, BackwardContext c) {
        String mode = Attr.getString(n, "mode", "constant");
        if (!mode.equals("constant")) {
            throw c.unsupported(n, "pad mode '" + mode + "' (only constant padding is differentiable here)");
        }
        long[] pads = c.shapes().opset() >= 11 ? c.shapes().constInts(n.getInput(1)) : Attr.getInts(n, "pads", null);
        if (pads == null) {
            throw c.unsupported(n, "pads must be constant");
        }
        int rank = pads.length / 2;
        long[] starts = new long[rank];
        long[] ends = new long[rank];
        long[] axes = new long[rank];
        for (int i = 0; i < rank; i++) {
            if (pads[i] < 0 || pads[i + rank] < 0) {
                throw c.unsupported(n, "negative (cropping) pads");
            }
            starts[i] = pads[i];
            ends[i] = pads[i + rank] == 0 ? Long.MAX_VALUE : -pads[i + rank];
            axes[i] = i;
        }
        GraphBuilder g = c.g();
        String dy = c.outputGradient(n, 0);
        String inner = g.op("Slice", List.of(dy, g.longs("starts", starts), g.longs("ends", ends),
                g.longs("axes", axes)));
        if (c.needs(n, 0)) {
            c.add(n.getInput(0), inner);
        }
        if (c.needs(n, 2)) {
            // The padding value fills every output element outside the input.
            c.add(n.getInput(2), g.op("Sub", g.op("ReduceSum", dy, Attr.i("keepdims", 0)),
                    g.op("ReduceSum", inner, Attr.i("keepdims", 0))));
        }
    }
}
