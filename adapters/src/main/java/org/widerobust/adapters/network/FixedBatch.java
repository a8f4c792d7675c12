package org.widerobust.adapters.network;

/**
 * Runs a graph exported with a fixed batch size B on any number of examples: chunks of B, the last padded by
 * repeating its final example (padding rows are computed and thrown away). Examples do not interact in an
 * inference graph, so each row's logits, loss and input gradient are those of an unpadded run.
 */
final class FixedBatch {
    private FixedBatch() {}

    static void logits(NetworkSession s, int b, float[] x, int n, float[] out) {
        int len = s.exampleLength();
        int k = s.numClasses();
        float[] xb = new float[b * len];
        float[] ob = new float[b * k];
        for (int start = 0; start < n; start += b) {
            int m = Math.min(b, n - start);
            pad(x, start, m, b, len, xb);
            s.logits(xb, b, ob);
            System.arraycopy(ob, 0, out, start * k, m * k);
        }
    }

    static void lossGradient(NetworkSession s, int b, String loss, float[] x, int n, LossTargets t, float[] gradOut,
                             float[] lossOut, float[] logitsOut) {
        int len = s.exampleLength();
        int k = s.numClasses();
        float[] xb = new float[b * len];
        float[] gb = gradOut == null ? null : new float[b * len];
        float[] lb = lossOut == null ? null : new float[b];
        float[] ob = logitsOut == null ? null : new float[b * k];
        for (int start = 0; start < n; start += b) {
            int m = Math.min(b, n - start);
            pad(x, start, m, b, len, xb);
            LossTargets tb = new LossTargets(pad(t.labels(), start, m, b), pad(t.targetProbs(), start, m, b, k),
                    pad(t.targetLabels(), start, m, b), pad(t.referenceLogits(), start, m, b, k));
            s.lossGradient(loss, xb, b, tb, gb, lb, ob);
            if (gb != null) {
                System.arraycopy(gb, 0, gradOut, start * len, m * len);
            }
            if (lb != null) {
                System.arraycopy(lb, 0, lossOut, start, m);
            }
            if (ob != null) {
                System.arraycopy(ob, 0, logitsOut, start * k, m * k);
            }
        }
    }

    /** Rows {@code [start, start + m)} of {@code src} (width {@code w}) into {@code dst}, the last one repeated to b. */
    private static float[] pad(float[] src, int start, int m, int b, int w, float[] dst) {
        System.arraycopy(src, start * w, dst, 0, m * w);
        for (int i = m; i < b; i++) {
            System.arraycopy(src, (start + m - 1) * w, dst, i * w, w);
        }
        return dst;
    }

    private static float[] pad(float[] src, int start, int m, int b, int w) {
        return src == null ? null : pad(src, start, m, b, w, new float[b * w]);
    }

    private static int[] pad(int[] src, int start, int m, int b) {
        if (src == null) {
            return null;
        }
        int[] dst = new int[b];
        System.arraycopy(src, start, dst, 0, m);
        for (int i = m; i < b; i++) {
            dst[i] = src[start + m - 1];
        }
        return dst;
    }
}
