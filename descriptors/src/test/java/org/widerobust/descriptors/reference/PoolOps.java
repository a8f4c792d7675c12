package org.widerobust.descriptors.reference;

import org.widerobust.descriptors.reference.DTensor.DType;

import java.util.Arrays;
import java.util.Map;

/** MaxPool (with Indices), AveragePool, global pooling and MaxUnpool. */
final class PoolOps {

    private PoolOps() {
    }

    static void register(Map<String, OpKernel> r) {
        r.put("MaxPool", PoolOps::maxPool);
        r.put("AveragePool", PoolOps::averagePool);
        r.put("GlobalAveragePool", (n, in) -> global(n, in, false));
        r.put("GlobalMaxPool", (n, in) -> global(n, in, true));
        r.put("MaxUnpool", PoolOps::maxUnpool);
    }

    private static long[] spatial(long[] shape) {
        return Arrays.copyOfRange(shape, 2, shape.length);
    }

    private static long[] withSpatial(long[] shape, long[] sp) {
        long[] out = Arrays.copyOf(shape, 2 + sp.length);
        System.arraycopy(sp, 0, out, 2, sp.length);
        return out;
    }

    private static long[] kernel(NodeContext n, int nd) {
        long[] k = n.attrInts("kernel_shape", null);
        if (k == null || k.length != nd) {
            throw n.error("kernel_shape " + Arrays.toString(k) + " must have " + nd + " entries");
        }
        return k;
    }

    private static DTensor[] maxPool(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] xs = x.shape();
        long[] inSp = spatial(xs);
        Window win = Window.forward(n, kernel(n, inSp.length), inSp);
        boolean ceil = n.attrInt("ceil_mode", 0) != 0;
        long[] outSp = win.outputShape(inSp, ceil);
        int[] table = win.table(outSp, inSp);
        int ks = win.kernelSize();
        int inSize = (int) Shapes.product(inSp);
        int outSize = (int) Shapes.product(outSp);
        int planes = (int) (xs[0] * xs[1]);
        int[] storage = storageOffsets(inSp, n.attrInt("storage_order", 0) != 0);
        double[] xd = x.data();
        double[] out = new double[planes * outSize];
        double[] idx = new double[out.length];
        for (int pl = 0; pl < planes; pl++) {
            for (int p = 0; p < outSize; p++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = -1;
                for (int q = 0; q < ks; q++) {
                    int off = table[p * ks + q];
                    if (off >= 0) {
                        double v = xd[pl * inSize + off];
                        if (arg < 0 || v > best || Double.isNaN(v) && !Double.isNaN(best)) {
                            best = v;
                            arg = off;
                        }
                    }
                }
                out[pl * outSize + p] = best;
                idx[pl * outSize + p] = arg < 0 ? -1 : (double) pl * inSize + storage[arg];
            }
        }
        long[] outShape = withSpatial(xs, outSp);
        return new DTensor[]{new DTensor(x.type(), outShape, out), new DTensor(DType.INT64, outShape, idx)};
    }

    /** Row-major spatial offsets mapped to the storage order of MaxPool's Indices (0 = row-major, 1 = column-major). */
    private static int[] storageOffsets(long[] sp, boolean columnMajor) {
        int size = (int) Shapes.product(sp);
        int[] map = new int[size];
        int[] colStr = new int[sp.length];
        int acc = 1;
        for (int d = 0; d < sp.length; d++) {
            colStr[d] = acc;
            acc *= (int) sp[d];
        }
        int[] pos = new int[sp.length];
        for (int i = 0; i < size; i++) {
            if (!columnMajor) {
                map[i] = i;
                continue;
            }
            Shapes.unravel(i, sp, pos);
            int off = 0;
            for (int d = 0; d < sp.length; d++) {
                off += pos[d] * colStr[d];
            }
            map[i] = off;
        }
        return map;
    }

    /** With count_include_pad=1 every window is divided by the full kernel size, as ONNX Runtime does (also in ceil mode). */
    private static DTensor[] averagePool(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        long[] xs = x.shape();
        long[] inSp = spatial(xs);
        Window win = Window.forward(n, kernel(n, inSp.length), inSp);
        boolean ceil = n.attrInt("ceil_mode", 0) != 0;
        boolean includePad = n.attrInt("count_include_pad", 0) != 0;
        long[] outSp = win.outputShape(inSp, ceil);
        int[] table = win.table(outSp, inSp);
        int ks = win.kernelSize();
        int inSize = (int) Shapes.product(inSp);
        int outSize = (int) Shapes.product(outSp);
        int planes = (int) (xs[0] * xs[1]);
        double[] xd = x.data();
        double[] out = new double[planes * outSize];
        for (int pl = 0; pl < planes; pl++) {
            for (int p = 0; p < outSize; p++) {
                double s = 0;
                int count = 0;
                for (int q = 0; q < ks; q++) {
                    int off = table[p * ks + q];
                    if (off >= 0) {
                        s += xd[pl * inSize + off];
                        count++;
                    }
                }
                out[pl * outSize + p] = s / (includePad ? ks : count);
            }
        }
        return new DTensor[]{new DTensor(x.type(), withSpatial(xs, outSp), out)};
    }

    private static DTensor[] global(NodeContext n, DTensor[] in, boolean max) {
        DTensor x = n.require(in, 0);
        long[] xs = x.shape();
        int planes = (int) (xs[0] * xs[1]);
        int inner = Shapes.product(xs, 2, xs.length);
        double[] out = new double[planes];
        for (int pl = 0; pl < planes; pl++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int i = 0; i < inner; i++) {
                double v = x.data()[pl * inner + i];
                acc = max ? Math.max(acc, v) : acc + v;
            }
            out[pl] = max ? acc : acc / inner;
        }
        long[] ones = Window.ones(xs.length - 2);
        return new DTensor[]{new DTensor(x.type(), withSpatial(xs, ones), out)};
    }

    private static DTensor[] maxUnpool(NodeContext n, DTensor[] in) {
        DTensor x = n.require(in, 0);
        DTensor indices = n.require(in, 1);
        DTensor outputShape = NodeContext.optional(in, 2);
        long[] xs = x.shape();
        if (!Arrays.equals(xs, indices.shape())) {
            throw n.error("X " + Arrays.toString(xs) + " and I " + Arrays.toString(indices.shape()) + " differ in shape");
        }
        long[] outShape;
        if (outputShape != null) {
            outShape = outputShape.toLongs();
        } else {
            long[] inSp = spatial(xs);
            int nd = inSp.length;
            long[] k = kernel(n, nd);
            long[] strides = n.attrInts("strides", Window.ones(nd));
            long[] pads = n.attrInts("pads", new long[2 * nd]);
            long[] sp = new long[nd];
            for (int d = 0; d < nd; d++) {
                sp[d] = (inSp[d] - 1) * strides[d] + k[d] - pads[d] - pads[d + nd];
            }
            outShape = withSpatial(xs, sp);
        }
        double[] out = new double[(int) Shapes.product(outShape)];
        for (int i = 0; i < x.size(); i++) {
            long j = (long) indices.data()[i];
            if (j < 0 || j >= out.length) {
                throw n.error("index " + j + " outside output of shape " + Arrays.toString(outShape));
            }
            out[(int) j] = x.data()[i];
        }
        return new DTensor[]{new DTensor(x.type(), outShape, out)};
    }
}
