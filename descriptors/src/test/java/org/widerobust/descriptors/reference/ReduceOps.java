package org.widerobust.descriptors.reference;

import org.widerobust.descriptors.reference.DTensor.DType;

import java.util.Arrays;
import java.util.Map;

/** Reductions over axes (ReduceSum/Mean/Max/Min/Prod/LogSumExp/SumSquare/L1/L2), ArgMax/ArgMin and Softmax/LogSoftmax. */
final class ReduceOps {

    private ReduceOps() {
    }

    private enum Kind { SUM, MEAN, MAX, MIN, PROD, LOG_SUM_EXP, SUM_SQUARE, L1, L2 }

    static void register(Map<String, OpKernel> r) {
        reduce(r, "ReduceSum", Kind.SUM, 13);
        reduce(r, "ReduceMean", Kind.MEAN, 18);
        reduce(r, "ReduceMax", Kind.MAX, 18);
        reduce(r, "ReduceMin", Kind.MIN, 18);
        reduce(r, "ReduceProd", Kind.PROD, 18);
        reduce(r, "ReduceLogSumExp", Kind.LOG_SUM_EXP, 18);
        reduce(r, "ReduceSumSquare", Kind.SUM_SQUARE, 18);
        reduce(r, "ReduceL1", Kind.L1, 18);
        reduce(r, "ReduceL2", Kind.L2, 18);
        r.put("ArgMax", (n, in) -> argExtreme(n, in, true));
        r.put("ArgMin", (n, in) -> argExtreme(n, in, false));
        r.put("Softmax", (n, in) -> softmax(n, in, false));
        r.put("LogSoftmax", (n, in) -> softmax(n, in, true));
    }

    private static void reduce(Map<String, OpKernel> r, String op, Kind kind, int axesInputFromOpset) {
        r.put(op, (n, in) -> {
            DTensor x = n.require(in, 0);
            long[] axes = ShapeOps.axes(n, in, 1, axesInputFromOpset);
            boolean keep = n.attrInt("keepdims", 1) != 0;
            if ((axes == null || axes.length == 0) && n.attrInt("noop_with_empty_axes", 0) != 0) {
                return new DTensor[]{x};
            }
            return new DTensor[]{reduce(x, axes, keep, kind)};
        });
    }

    private static DTensor reduce(DTensor x, long[] axes, boolean keep, Kind kind) {
        long[] s = x.shape();
        int rank = s.length;
        boolean[] reduced = new boolean[rank];
        if (axes == null || axes.length == 0) {
            Arrays.fill(reduced, true);
        } else {
            for (long a : axes) {
                reduced[Shapes.axis(a, rank)] = true;
            }
        }
        long[] keptShape = s.clone();
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                keptShape[d] = 1;
            }
        }
        int[] map = Shapes.broadcastMap(keptShape, s);
        int outSize = (int) Shapes.product(keptShape);
        int count = outSize == 0 ? 0 : x.size() / outSize;
        double[] acc = new double[outSize];
        double init = kind == Kind.MAX || kind == Kind.LOG_SUM_EXP ? Double.NEGATIVE_INFINITY
                : kind == Kind.MIN ? Double.POSITIVE_INFINITY : kind == Kind.PROD ? 1 : 0;
        Arrays.fill(acc, init);
        double[] d = x.data();
        double[] max = null;
        if (kind == Kind.LOG_SUM_EXP) {
            for (int i = 0; i < d.length; i++) {
                acc[map[i]] = Math.max(acc[map[i]], d[i]);
            }
            max = acc.clone();
            for (int j = 0; j < outSize; j++) {
                if (Double.isInfinite(max[j])) {
                    max[j] = 0;
                }
            }
            Arrays.fill(acc, 0);
        }
        for (int i = 0; i < d.length; i++) {
            int j = map[i];
            double v = d[i];
            switch (kind) {
                case SUM:
                case MEAN: acc[j] += v; break;
                case MAX: acc[j] = Double.isNaN(v) || Double.isNaN(acc[j]) ? Double.NaN : Math.max(acc[j], v); break;
                case MIN: acc[j] = Double.isNaN(v) || Double.isNaN(acc[j]) ? Double.NaN : Math.min(acc[j], v); break;
                case PROD: acc[j] *= v; break;
                case LOG_SUM_EXP: acc[j] += Math.exp(v - max[j]); break;
                case SUM_SQUARE:
                case L2: acc[j] += v * v; break;
                case L1: acc[j] += Math.abs(v); break;
                default: throw new AssertionError(kind);
            }
        }
        for (int j = 0; j < outSize; j++) {
            switch (kind) {
                case MEAN: acc[j] /= count; break;
                case LOG_SUM_EXP: acc[j] = Math.log(acc[j]) + max[j]; break;
                case L2: acc[j] = Math.sqrt(acc[j]); break;
                default: break;
            }
        }
        if (x.type().isIntegral() && kind != Kind.MEAN) {
            for (int j = 0; j < outSize; j++) {
                acc[j] = x.type().convert(acc[j]);
            }
        }
        return new DTensor(x.type(), keep ? keptShape : dropReduced(s, reduced), acc);
    }

    private static long[] dropReduced(long[] s, boolean[] reduced) {
        return Arrays.stream(range(s.length)).filter(d -> !reduced[d]).mapToLong(d -> s[d]).toArray();
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static DTensor[] argExtreme(NodeContext n, DTensor[] in, boolean max) {
        DTensor x = n.require(in, 0);
        long[] s = x.shape();
        int axis = Shapes.axis(n.attrInt("axis", 0), s.length);
        boolean keep = n.attrInt("keepdims", 1) != 0;
        boolean last = n.attrInt("select_last_index", 0) != 0;
        int outer = Shapes.product(s, 0, axis);
        int inner = Shapes.product(s, axis + 1, s.length);
        int dim = (int) s[axis];
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                double bv = x.data()[o * dim * inner + i];
                for (int j = 1; j < dim; j++) {
                    double v = x.data()[(o * dim + j) * inner + i];
                    boolean better = max ? (v > bv || last && v == bv) : (v < bv || last && v == bv);
                    if (better) {
                        best = j;
                        bv = v;
                    }
                }
                out[o * inner + i] = best;
            }
        }
        long[] outShape;
        if (keep) {
            outShape = s.clone();
            outShape[axis] = 1;
        } else {
            boolean[] drop = new boolean[s.length];
            drop[axis] = true;
            outShape = dropReduced(s, drop);
        }
        return new DTensor[]{new DTensor(DType.INT64, outShape, out)};
    }

    private static DTensor[] softmax(NodeContext n, DTensor[] in, boolean log) {
        DTensor x = n.require(in, 0);
        long[] s = x.shape();
        int outer;
        int dim;
        int inner;
        if (n.opset() >= 13) {
            int axis = Shapes.axis(n.attrInt("axis", -1), s.length);
            outer = Shapes.product(s, 0, axis);
            dim = (int) s[axis];
            inner = Shapes.product(s, axis + 1, s.length);
        } else {
            long a = n.attrInt("axis", 1);
            int axis = (int) (a < 0 ? a + s.length : a);
            outer = Shapes.product(s, 0, axis);
            dim = Shapes.product(s, axis, s.length);
            inner = 1;
        }
        double[] d = x.data();
        double[] out = new double[d.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * dim * inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < dim; j++) {
                    m = Math.max(m, d[base + j * inner]);
                }
                double sum = 0;
                for (int j = 0; j < dim; j++) {
                    sum += Math.exp(d[base + j * inner] - m);
                }
                double logSum = Math.log(sum) + m;
                for (int j = 0; j < dim; j++) {
                    int p = base + j * inner;
                    out[p] = log ? d[p] - logSum : Math.exp(d[p] - m) / sum;
                }
            }
        }
        return new DTensor[]{new DTensor(x.type(), s, out)};
    }
}
