package org.widerobust.plugin.attack;

/** Gathering and scattering examples and per-example values between a batch and a compacted sub-batch. */
final class Batches {
    private Batches() {}

    static float[] gather(float[] src, int[] idx, int len) {
        float[] out = new float[idx.length * len];
        for (int k = 0; k < idx.length; k++) {
            System.arraycopy(src, idx[k] * len, out, k * len, len);
        }
        return out;
    }

    static int[] gather(int[] src, int[] idx) {
        if (src == null) {
            return null;
        }
        int[] out = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = src[idx[k]];
        }
        return out;
    }

    /** Copies example {@code k} of {@code src} to example {@code idx[k]} of {@code dst}. */
    static void scatter(float[] src, int[] idx, float[] dst, int len) {
        for (int k = 0; k < idx.length; k++) {
            System.arraycopy(src, k * len, dst, idx[k] * len, len);
        }
    }

    static void copyExample(float[] src, int from, float[] dst, int to, int len) {
        System.arraycopy(src, from * len, dst, to * len, len);
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Indices {@code i} with {@code keep[i]}. */
    static int[] where(boolean[] keep) {
        int c = 0;
        for (boolean b : keep) {
            if (b) {
                c++;
            }
        }
        int[] out = new int[c];
        c = 0;
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                out[c++] = i;
            }
        }
        return out;
    }
}
