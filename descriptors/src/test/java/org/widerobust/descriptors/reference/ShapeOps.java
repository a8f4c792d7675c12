package org.widerobust.descriptors.reference;

import ai.onnx.proto.OnnxMl;
import org.widerobust.descriptors.reference.DTensor.DType;

import java.util.Arrays;
import java.util.Map;

/** Ops that move or replicate data without arithmetic: shape queries, reshaping, slicing, padding, constants. */
final class ShapeOps {

    private ShapeOps() {
    }

    static void register(Map<String, OpKernel> r) {
        r.put("Shape", ShapeOps::shapeOp);
        r.put("Size", (n, in) -> new DTensor[]{DTensor.ofLongs(new long[0], new long[]{n.require(in, 0).size()})});
        r.put("Reshape", ShapeOps::reshape);
        r.put("Flatten", ShapeOps::flatten);
        r.put("Squeeze", ShapeOps::squeeze);
        r.put("Unsqueeze", ShapeOps::unsqueeze);
        r.put("Transpose", ShapeOps::transposeOp);
        r.put("Concat", ShapeOps::concat);
        r.put("Split", ShapeOps::split);
        r.put("Slice", ShapeOps::slice);
        r.put("Expand", (n, in) -> {
            DTensor x = n.require(in, 0);
            long[] shape = Shapes.broadcast(x.shape(), n.require(in, 1).toLongs());
            return new DTensor[]{Shapes.broadcastTo(x, shape)};
        });
        r.put("Tile", ShapeOps::tile);
        r.put("Pad", ShapeOps::pad);
        r.put("Constant", ShapeOps::constant);
        r.put("ConstantOfShape", ShapeOps::constantOfShape);
    }

    /** Axes from input {@code index} when the opset reads them from inputs, else from attribute "axes". */
    static long[] axes(NodeContext n, DTensor[] in, int index, int inputFromOpset) {
        if (n.opset() >= inputFromOpset) {
            DTensor a = NodeContext.optional(in, index);
            return a == null ? null : a.toLongs();
        }
        return n.attrInts("axes", null);
    }

    private static DTensor[] shapeOp(NodeContext n, DTensor[] in) {
        long[] s = n.require(in, 0).shape();
        int rank = s.length;
        long start = n.attrInt("start", 0);
        long end = n.attrInt("end", rank);
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        long[] part = end > start ? Arrays.copyOfRange(s, (int) start, (int) end) : new long[0];
        return new DTensor[]{DTensor.ofLongs(new long[]{part.length}, part)};
    }

    private static DTensor[] reshape(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] spec = n.opset() >= 5 ? n.require(in, 1).toLongs() : n.attrInts("shape", null);
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        long[] xs = x.shape();
        long[] shape = new long[spec.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < spec.length; i++) {
            if (spec[i] == -1) {
                if (infer >= 0) {
                    throw n.error("more than one -1 in shape " + Arrays.toString(spec));
                }
                infer = i;
                continue;
            }
            if (spec[i] == 0 && !allowZero) {
                if (i >= xs.length) {
                    throw n.error("shape " + Arrays.toString(spec) + " copies dimension " + i + " of " + Arrays.toString(xs));
                }
                shape[i] = xs[i];
            } else {
                shape[i] = spec[i];
            }
            known *= shape[i];
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw n.error("cannot infer -1 in " + Arrays.toString(spec) + " for input " + Arrays.toString(xs));
            }
            shape[infer] = x.size() / known;
        }
        if (Shapes.product(shape) != x.size()) {
            throw n.error("cannot reshape " + Arrays.toString(xs) + " to " + Arrays.toString(spec));
        }
        return new DTensor[]{x.reshape(shape)};
    }

    private static DTensor[] flatten(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] s = x.shape();
        long a = n.attrInt("axis", 1);
        int axis = (int) (a < 0 ? a + s.length : a);
        if (axis < 0 || axis > s.length) {
            throw n.error("axis " + a + " out of range for rank " + s.length);
        }
        return new DTensor[]{x.reshape(new long[]{Shapes.product(s, 0, axis), Shapes.product(s, axis, s.length)})};
    }

    private static DTensor[] squeeze(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] s = x.shape();
        long[] axes = axes(n, in, 1, 13);
        boolean[] drop = new boolean[s.length];
        if (axes == null) {
            for (int i = 0; i < s.length; i++) {
                drop[i] = s[i] == 1;
            }
        } else {
            for (long a : axes) {
                int ax = Shapes.axis(a, s.length);
                if (s[ax] != 1) {
                    throw n.error("cannot squeeze axis " + a + " of shape " + Arrays.toString(s));
                }
                drop[ax] = true;
            }
        }
        return new DTensor[]{x.reshape(keep(s, drop))};
    }

    private static long[] keep(long[] s, boolean[] drop) {
        int count = 0;
        for (boolean d : drop) {
            count += d ? 0 : 1;
        }
        long[] out = new long[count];
        int j = 0;
        for (int i = 0; i < s.length; i++) {
            if (!drop[i]) {
                out[j++] = s[i];
            }
        }
        return out;
    }

    private static DTensor[] unsqueeze(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] s = x.shape();
        long[] axes = axes(n, in, 1, 13);
        if (axes == null) {
            throw n.error("axes are required");
        }
        int rank = s.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int ax = Shapes.axis(a, rank);
            if (inserted[ax]) {
                throw n.error("repeated axis " + a);
            }
            inserted[ax] = true;
        }
        long[] out = new long[rank];
        int j = 0;
        for (int i = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : s[j++];
        }
        return new DTensor[]{x.reshape(out)};
    }

    private static DTensor[] transposeOp(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        int rank = x.rank();
        long[] p = n.attrInts("perm", null);
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = p == null ? rank - 1 - i : (int) p[i];
        }
        return new DTensor[]{transpose(x, perm)};
    }

    /** Output axis {@code i} is input axis {@code perm[i]}. */
    static DTensor transpose(DTensor x, int[] perm) {
        long[] s = x.shape();
        int[] str = Shapes.strides(s);
        long[] outShape = new long[s.length];
        int[] outStr = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            outShape[i] = s[perm[i]];
            outStr[i] = str[perm[i]];
        }
        return gather(x, outShape, Shapes.offsets(outShape, outStr, 0));
    }

    /** A tensor of shape {@code shape} whose element i is {@code x.data()[map[i]]}. */
    static DTensor gather(DTensor x, long[] shape, int[] map) {
        double[] src = x.data();
        double[] out = new double[map.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = src[map[i]];
        }
        return new DTensor(x.type(), shape, out);
    }

    private static DTensor[] concat(NodeContext n, DTensor[] in) {
        DTensor first = n.require(in, 0);
        int rank = first.rank();
        int axis = Shapes.axis(n.attrInt("axis", Long.MIN_VALUE), rank);
        long[] outShape = first.shape();
        outShape[axis] = 0;
        for (int k = 0; k < in.length; k++) {
            long[] s = n.require(in, k).shape();
            for (int d = 0; d < rank; d++) {
                if (d != axis && s[d] != outShape[d] || s.length != rank) {
                    throw n.error("input " + k + " shape " + Arrays.toString(s) + " does not match " + Arrays.toString(first.shape()));
                }
            }
            outShape[axis] += s[axis];
        }
        int outer = Shapes.product(outShape, 0, axis);
        int inner = Shapes.product(outShape, axis + 1, rank);
        int outRow = (int) outShape[axis] * inner;
        double[] out = new double[(int) Shapes.product(outShape)];
        int offset = 0;
        for (DTensor t : in) {
            int len = (int) t.dim(axis) * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data(), o * len, out, o * outRow + offset, len);
            }
            offset += len;
        }
        return new DTensor[]{new DTensor(first.type(), outShape, out)};
    }

    private static DTensor[] split(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] s = x.shape();
        int axis = Shapes.axis(n.attrInt("axis", 0), s.length);
        long[] sizes = n.opset() >= 13 ? (NodeContext.optional(in, 1) == null ? null : in[1].toLongs())
                : n.attrInts("split", null);
        if (sizes == null) {
            int parts = (int) n.attrInt("num_outputs", n.outputCount());
            long chunk = (s[axis] + parts - 1) / parts;
            sizes = new long[parts];
            long left = s[axis];
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.min(chunk, left);
                left -= sizes[i];
            }
        }
        long total = 0;
        for (long z : sizes) {
            total += z;
        }
        if (total != s[axis]) {
            throw n.error("split sizes " + Arrays.toString(sizes) + " do not add up to dimension " + s[axis]);
        }
        int outer = Shapes.product(s, 0, axis);
        int inner = Shapes.product(s, axis + 1, s.length);
        int row = (int) s[axis] * inner;
        DTensor[] out = new DTensor[sizes.length];
        int offset = 0;
        for (int k = 0; k < sizes.length; k++) {
            long[] os = s.clone();
            os[axis] = sizes[k];
            int len = (int) sizes[k] * inner;
            double[] d = new double[outer * len];
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x.data(), o * row + offset, d, o * len, len);
            }
            out[k] = new DTensor(x.type(), os, d);
            offset += len;
        }
        return out;
    }

    private static DTensor[] slice(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] s = x.shape();
        int rank = s.length;
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (n.opset() >= 10) {
            starts = n.require(in, 1).toLongs();
            ends = n.require(in, 2).toLongs();
            axes = NodeContext.optional(in, 3) == null ? null : in[3].toLongs();
            steps = NodeContext.optional(in, 4) == null ? null : in[4].toLongs();
        } else {
            starts = n.attrInts("starts", null);
            ends = n.attrInts("ends", null);
            axes = n.attrInts("axes", null);
        }
        long[] begin = new long[rank];
        long[] step = new long[rank];
        long[] outShape = s.clone();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            int ax = axes == null ? k : Shapes.axis(axes[k], rank);
            long st = steps == null ? 1 : steps[k];
            if (st == 0) {
                throw n.error("step 0");
            }
            long dim = s[ax];
            long b = starts[k] < 0 ? starts[k] + dim : starts[k];
            long e = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (st > 0) {
                b = Math.max(0, Math.min(dim, b));
                e = Math.max(0, Math.min(dim, e));
                outShape[ax] = Math.max(0, (e - b + st - 1) / st);
            } else {
                b = Math.max(-1, Math.min(dim - 1, b));
                e = Math.max(-1, Math.min(dim - 1, e));
                outShape[ax] = Math.max(0, (b - e + (-st) - 1) / (-st));
            }
            begin[ax] = b;
            step[ax] = st;
        }
        int[] str = Shapes.strides(s);
        int[] outStr = new int[rank];
        int base = 0;
        for (int d = 0; d < rank; d++) {
            outStr[d] = (int) (str[d] * step[d]);
            if (outShape[d] > 0) {
                base += (int) (begin[d] * str[d]);
            }
        }
        if (Shapes.product(outShape) == 0) {
            return new DTensor[]{new DTensor(x.type(), outShape, new double[0])};
        }
        return new DTensor[]{gather(x, outShape, Shapes.offsets(outShape, outStr, base))};
    }

    private static DTensor[] tile(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] reps = n.require(in, 1).toLongs();
        long[] s = x.shape();
        if (reps.length != s.length) {
            throw n.error("repeats " + Arrays.toString(reps) + " do not match rank " + s.length);
        }
        long[] outShape = new long[s.length];
        for (int d = 0; d < s.length; d++) {
            outShape[d] = s[d] * reps[d];
        }
        int[] str = Shapes.strides(s);
        int size = (int) Shapes.product(outShape);
        int[] map = new int[size];
        int[] idx = new int[s.length];
        for (int i = 0; i < size; i++) {
            Shapes.unravel(i, outShape, idx);
            int off = 0;
            for (int d = 0; d < s.length; d++) {
                off += (int) (idx[d] % s[d]) * str[d];
            }
            map[i] = off;
        }
        return new DTensor[]{gather(x, outShape, map)};
    }

    private static DTensor[] pad(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] s = x.shape();
        int rank = s.length;
        String mode = n.attrString("mode", "constant");
        long[] pads;
        double value;
        if (n.opset() >= 11) {
            long[] given = n.require(in, 1).toLongs();
            DTensor cv = NodeContext.optional(in, 2);
            value = cv == null || cv.size() == 0 ? 0 : cv.data()[0];
            DTensor axesIn = NodeContext.optional(in, 3);
            if (axesIn != null) {
                long[] axes = axesIn.toLongs();
                pads = new long[2 * rank];
                for (int k = 0; k < axes.length; k++) {
                    int ax = Shapes.axis(axes[k], rank);
                    pads[ax] = given[k];
                    pads[ax + rank] = given[k + axes.length];
                }
            } else {
                pads = given;
            }
        } else {
            pads = n.attrInts("pads", null);
            value = n.attrFloat("value", 0);
        }
        if (pads.length != 2 * rank) {
            throw n.error("pads " + Arrays.toString(pads) + " do not match rank " + rank);
        }
        if (!mode.equals("constant") && !mode.equals("reflect") && !mode.equals("edge") && !mode.equals("wrap")) {
            throw n.unsupported("mode '" + mode + "'");
        }
        long[] outShape = new long[rank];
        for (int d = 0; d < rank; d++) {
            outShape[d] = s[d] + pads[d] + pads[d + rank];
            if (outShape[d] < 0) {
                throw n.error("pads " + Arrays.toString(pads) + " crop more than dimension " + d);
            }
        }
        int[] str = Shapes.strides(s);
        int size = (int) Shapes.product(outShape);
        double[] out = new double[size];
        int[] idx = new int[rank];
        for (int i = 0; i < size; i++) {
            Shapes.unravel(i, outShape, idx);
            int off = 0;
            boolean outside = false;
            for (int d = 0; d < rank; d++) {
                long j = idx[d] - pads[d];
                long dim = s[d];
                if (j < 0 || j >= dim) {
                    switch (mode) {
                        case "constant":
                            outside = true;
                            break;
                        case "edge":
                            j = j < 0 ? 0 : dim - 1;
                            break;
                        case "wrap":
                            j = ((j % dim) + dim) % dim;
                            break;
                        default:
                            j = reflect(j, dim);
                    }
                }
                off += (int) j * str[d];
            }
            out[i] = outside ? value : x.data()[off];
        }
        return new DTensor[]{new DTensor(x.type(), outShape, out)};
    }

    private static long reflect(long j, long dim) {
        if (dim == 1) {
            return 0;
        }
        long period = 2 * (dim - 1);
        j = ((j % period) + period) % period;
        return j < dim ? j : period - j;
    }

    private static DTensor[] constant(NodeContext n, DTensor[] in) {
        OnnxMl.TensorProto t = n.attrTensor("value");
        if (t != null) {
            return new DTensor[]{DTensor.fromProto(t)};
        }
        if (n.has("value_float")) {
            return new DTensor[]{DTensor.scalar(n.attrFloat("value_float", 0))};
        }
        if (n.has("value_floats")) {
            double[] v = n.attrFloats("value_floats", null);
            return new DTensor[]{DTensor.of(new long[]{v.length}, v)};
        }
        if (n.has("value_int")) {
            return new DTensor[]{DTensor.ofLongs(new long[0], new long[]{n.attrInt("value_int", 0)})};
        }
        if (n.has("value_ints")) {
            long[] v = n.attrInts("value_ints", null);
            return new DTensor[]{DTensor.ofLongs(new long[]{v.length}, v)};
        }
        throw n.unsupported("no supported value attribute (value, value_float(s), value_int(s))");
    }

    private static DTensor[] constantOfShape(NodeContext n, DTensor[] in) {
        long[] shape = n.require(in, 0).toLongs();
        OnnxMl.TensorProto t = n.attrTensor("value");
        DTensor v = t == null ? DTensor.scalar(0) : DTensor.fromProto(t);
        double[] out = new double[(int) Shapes.product(shape)];
        Arrays.fill(out, v.data()[0]);
        DType type = t == null ? DType.FLOAT : v.type();
        return new DTensor[]{new DTensor(type, shape, out)};
    }
}
