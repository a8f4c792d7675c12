package org.widerobust.descriptors.reference;

import java.util.Arrays;

/** Shape arithmetic and index maps shared by the op kernels. */
final class Shapes {

    private Shapes() {
    }

    static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    static int product(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return (int) n;
    }

    /** Row-major element strides of a shape. */
    static int[] strides(long[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= (int) shape[i];
        }
        return s;
    }

    /** Normalises a possibly negative axis against a rank, checking its range. */
    static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return (int) a;
    }

    /** Numpy-style multidirectional broadcast of shapes. */
    static long[] broadcast(long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            int off = rank - s.length;
            for (int i = 0; i < s.length; i++) {
                long d = s[i];
                if (d == out[i + off] || d == 1) {
                    continue;
                }
                if (out[i + off] == 1) {
                    out[i + off] = d;
                } else {
                    throw new IllegalArgumentException("shapes cannot be broadcast: " + describe(shapes));
                }
            }
        }
        return out;
    }

    private static String describe(long[][] shapes) {
        StringBuilder sb = new StringBuilder();
        for (long[] s : shapes) {
            sb.append(Arrays.toString(s)).append(' ');
        }
        return sb.toString().trim();
    }

    /**
     * For every element of {@code shape} (row-major), the offset {@code base + sum_d index[d] * strides[d]}.
     * Strides may be zero (broadcast) or negative (reversed traversal).
     */
    static int[] offsets(long[] shape, int[] strides, int base) {
        int n = (int) product(shape);
        int[] map = new int[n];
        int rank = shape.length;
        int[] idx = new int[rank];
        int pos = base;
        for (int i = 0; i < n; i++) {
            map[i] = pos;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                pos += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                pos -= strides[d] * idx[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    /** For every element of the broadcast shape {@code out}, the flat index of the element of {@code in} it reads. */
    static int[] broadcastMap(long[] in, long[] out) {
        int rank = out.length;
        int off = rank - in.length;
        int[] str = new int[rank];
        int s = 1;
        for (int d = in.length - 1; d >= 0; d--) {
            str[d + off] = in[d] == 1 ? 0 : s;
            s *= (int) in[d];
        }
        return offsets(out, str, 0);
    }

    /** Broadcasts a tensor to a shape it is unidirectionally broadcastable to. */
    static DTensor broadcastTo(DTensor x, long[] shape) {
        long[] xs = x.shape();
        if (Arrays.equals(xs, shape)) {
            return x;
        }
        long[] b = broadcast(xs, shape);
        if (!Arrays.equals(b, shape)) {
            throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(xs) + " to " + Arrays.toString(shape));
        }
        int[] map = broadcastMap(xs, shape);
        double[] src = x.data();
        double[] out = new double[map.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = src[map[i]];
        }
        return new DTensor(x.type(), shape, out);
    }

    /** Decodes a row-major flat index into a multi-index. */
    static void unravel(int flat, long[] shape, int[] idx) {
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = (int) (flat % shape[d]);
            flat /= (int) shape[d];
        }
    }

    static long[] toLongs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }
}
