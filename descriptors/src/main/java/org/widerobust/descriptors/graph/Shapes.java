package org.widerobust.descriptors.graph;

import java.util.Arrays;

/** Static shapes. A dimension of {@link #BATCH} (-1) stands for the symbolic batch size. */
public final class Shapes {
    /** The symbolic batch dimension. */
    public static final long BATCH = -1;

    private Shapes() {}

    /** Product of the dimensions; {@link #BATCH} dimensions count as 1. */
    public static long size(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d < 0 ? 1 : d;
        }
        return n;
    }

    public static String str(long[] dims) {
        return dims == null ? "?" : Arrays.toString(dims).replace("-1", "N");
    }

    /** Numpy broadcasting of two static shapes; a symbolic dimension meets only 1 or itself. */
    public static long[] broadcast(long[] a, long[] b, String where) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i < r - a.length ? 1 : a[i - (r - a.length)];
            long db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new GraphException(where + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
            }
        }
        return out;
    }

    /** Normalises a possibly negative axis against a rank. */
    public static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new GraphException("axis " + axis + " out of range for rank " + rank);
        }
        return (int) a;
    }
}
