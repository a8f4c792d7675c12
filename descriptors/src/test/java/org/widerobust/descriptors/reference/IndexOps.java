package org.widerobust.descriptors.reference;

import org.widerobust.descriptors.reference.DTensor.DType;

import java.util.Arrays;
import java.util.Map;

/** Ops driven by index tensors: Gather, GatherElements, ScatterElements, OneHot and TopK. */
final class IndexOps {

    private IndexOps() {
    }

    static void register(Map<String, OpKernel> r) {
        r.put("Gather", IndexOps::gather);
        r.put("GatherElements", IndexOps::gatherElements);
        r.put("ScatterElements", IndexOps::scatterElements);
        r.put("OneHot", IndexOps::oneHot);
        r.put("TopK", IndexOps::topK);
    }

    private static int index(NodeContext n, double v, long dim) {
        long i = (long) v;
        if (i < 0) {
            i += dim;
        }
        if (i < 0 || i >= dim) {
            throw n.error("index " + (long) v + " out of range for dimension " + dim);
        }
        return (int) i;
    }

    private static DTensor[] gather(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        DTensor idx = n.require(in, 1);
        long[] s = x.shape();
        int axis = Shapes.axis(n.attrInt("axis", 0), s.length);
        long[] is = idx.shape();
        long[] outShape = new long[s.length - 1 + is.length];
        System.arraycopy(s, 0, outShape, 0, axis);
        System.arraycopy(is, 0, outShape, axis, is.length);
        System.arraycopy(s, axis + 1, outShape, axis + is.length, s.length - axis - 1);
        int outer = Shapes.product(s, 0, axis);
        int inner = Shapes.product(s, axis + 1, s.length);
        int dim = (int) s[axis];
        int k = idx.size();
        double[] out = new double[outer * k * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < k; j++) {
                int src = index(n, idx.data()[j], dim);
                System.arraycopy(x.data(), (o * dim + src) * inner, out, (o * k + j) * inner, inner);
            }
        }
        return new DTensor[]{new DTensor(x.type(), outShape, out)};
    }

    /** Flat offset into a tensor of shape {@code s} of the element at {@code idx}, with axis replaced by {@code a}. */
    private static int offsetWithAxis(int[] idx, int[] strides, int axis, int a) {
        int off = 0;
        for (int d = 0; d < idx.length; d++) {
            off += (d == axis ? a : idx[d]) * strides[d];
        }
        return off;
    }

    private static DTensor[] gatherElements(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        DTensor idx = n.require(in, 1);
        long[] s = x.shape();
        long[] is = idx.shape();
        if (is.length != s.length) {
            throw n.error("indices rank " + is.length + " differs from data rank " + s.length);
        }
        int axis = Shapes.axis(n.attrInt("axis", 0), s.length);
        int[] str = Shapes.strides(s);
        int[] pos = new int[s.length];
        double[] out = new double[idx.size()];
        for (int i = 0; i < out.length; i++) {
            Shapes.unravel(i, is, pos);
            out[i] = x.data()[offsetWithAxis(pos, str, axis, index(n, idx.data()[i], s[axis]))];
        }
        return new DTensor[]{new DTensor(x.type(), is, out)};
    }

    private static DTensor[] scatterElements(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        DTensor idx = n.require(in, 1);
        DTensor upd = n.require(in, 2);
        long[] s = x.shape();
        long[] is = idx.shape();
        if (!Arrays.equals(is, upd.shape()) || is.length != s.length) {
            throw n.error("indices " + Arrays.toString(is) + " and updates " + Arrays.toString(upd.shape())
                    + " must have equal shapes of the data's rank " + s.length);
        }
        int axis = Shapes.axis(n.attrInt("axis", 0), s.length);
        String reduction = n.attrString("reduction", "none");
        int[] str = Shapes.strides(s);
        int[] pos = new int[s.length];
        double[] out = x.data().clone();
        for (int i = 0; i < idx.size(); i++) {
            Shapes.unravel(i, is, pos);
            int off = offsetWithAxis(pos, str, axis, index(n, idx.data()[i], s[axis]));
            double u = upd.data()[i];
            switch (reduction) {
                case "none": out[off] = u; break;
                case "add": out[off] += u; break;
                case "mul": out[off] *= u; break;
                case "max": out[off] = Math.max(out[off], u); break;
                case "min": out[off] = Math.min(out[off], u); break;
                default: throw n.unsupported("reduction '" + reduction + "'");
            }
        }
        return new DTensor[]{new DTensor(x.type(), s, out)};
    }

    private static DTensor[] oneHot(NodeContext n, DTensor[] in) {
        DTensor idx = n.require(in, 0);
        long depth = (long) n.require(in, 1).data()[0];
        DTensor values = n.require(in, 2);
        long[] is = idx.shape();
        int rank = is.length + 1;
        int axis = Shapes.axis(n.attrInt("axis", -1), rank);
        long[] outShape = new long[rank];
        System.arraycopy(is, 0, outShape, 0, axis);
        outShape[axis] = depth;
        System.arraycopy(is, axis, outShape, axis + 1, is.length - axis);
        int outer = Shapes.product(is, 0, axis);
        int inner = Shapes.product(is, axis, is.length);
        double off = values.data()[0];
        double on = values.data()[1];
        double[] out = new double[(int) Shapes.product(outShape)];
        Arrays.fill(out, off);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                long k = (long) idx.data()[o * inner + i];
                if (k < 0) {
                    k += depth;
                }
                if (k >= 0 && k < depth) {
                    out[(int) ((o * depth + k) * inner + i)] = on;
                }
            }
        }
        return new DTensor[]{new DTensor(values.type(), outShape, out)};
    }

    private static DTensor[] topK(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] s = x.shape();
        int axis = Shapes.axis(n.attrInt("axis", -1), s.length);
        int k = (int) (n.opset() >= 10 ? (long) n.require(in, 1).data()[0] : n.attrInt("k", -1));
        boolean largest = n.attrInt("largest", 1) != 0;
        int dim = (int) s[axis];
        if (k < 0 || k > dim) {
            throw n.error("k=" + k + " out of range for dimension " + dim);
        }
        int outer = Shapes.product(s, 0, axis);
        int inner = Shapes.product(s, axis + 1, s.length);
        long[] outShape = s.clone();
        outShape[axis] = k;
        double[] values = new double[outer * k * inner];
        double[] indices = new double[values.length];
        Integer[] order = new Integer[dim];
        double[] row = new double[dim];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                for (int j = 0; j < dim; j++) {
                    row[j] = x.data()[(o * dim + j) * inner + i];
                    order[j] = j;
                }
                Arrays.sort(order, (a, b) -> {
                    int c = largest ? Double.compare(row[b], row[a]) : Double.compare(row[a], row[b]);
                    return c != 0 ? c : Integer.compare(a, b);
                });
                for (int j = 0; j < k; j++) {
                    int dst = (o * k + j) * inner + i;
                    values[dst] = row[order[j]];
                    indices[dst] = order[j];
                }
            }
        }
        return new DTensor[]{new DTensor(x.type(), outShape, values), new DTensor(DType.INT64, outShape, indices)};
    }
}
