package org.widerobust.plugin.attack;

/** Per-example quantities of score rows {@code [n, K]}: predictions, margins, softmax. */
public final class Scores {
    private Scores() {}

    /** The predicted class of row {@code row} (first maximum). */
    public static int argmax(float[] scores, int row, int k) {
        int best = 0;
        float bv = scores[row * k];
        for (int j = 1; j < k; j++) {
            float v = scores[row * k + j];
            if (v > bv) {
                bv = v;
                best = j;
            }
        }
        return best;
    }

    /** The predicted class of each of {@code n} rows. */
    public static int[] predictions(float[] scores, int n, int k) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = argmax(scores, i, k);
        }
        return p;
    }

    /** {@code z_y − max_{j≠y} z_j}: positive iff the example is classified correctly (ties count as wrong). */
    public static float margin(float[] scores, int row, int k, int label) {
        float other = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (j != label) {
                other = Math.max(other, scores[row * k + j]);
            }
        }
        return scores[row * k + label] - other;
    }

    /** Row-wise softmax. */
    public static float[] softmax(float[] scores, int n, int k) {
        float[] out = new float[n * k];
        for (int i = 0; i < n; i++) {
            double max = rowMax(scores, i, k);
            double sum = sumExp(scores, i, k, max);
            for (int j = 0; j < k; j++) {
                out[i * k + j] = (float) (Math.exp(scores[i * k + j] - max) / sum);
            }
        }
        return out;
    }

    /**
     * The mean cross-entropy {@code (1/n) Σ_i [logsumexp(z_i) − z_i,y_i]} of the scores (logits) of {@code n} rows
     * ({@code [n, k]}, row major), in double precision, the row maximum subtracted before exponentiating.
     *
     * @throws IllegalArgumentException if a label is outside {@code [0, k)}
     */
    public static double meanCrossEntropy(float[] scores, int[] labels, int n, int k) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("label " + y + " of row " + i + " is outside [0, " + k + ")");
            }
            double max = rowMax(scores, i, k);
            sum += max + Math.log(sumExp(scores, i, k, max)) - scores[i * k + y];
        }
        return sum / n;
    }

    private static double rowMax(float[] scores, int row, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, scores[row * k + j]);
        }
        return max;
    }

    private static double sumExp(float[] scores, int row, int k, double max) {
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(scores[row * k + j] - max);
        }
        return sum;
    }

    /**
     * For targeted attacks (APGD-T, FAB-T): the class at {@code rank} (1 = the predicted class) by decreasing
     * score of each row in {@code rows}.
     */
    public static int[] classesAtRank(float[] scores, int[] rows, int k, int rank) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = ranking(scores, rows[i], k)[rank - 1];
        }
        return out;
    }

    /** Class indices of a row sorted by decreasing score (rank 1 first). */
    public static int[] ranking(float[] scores, int row, int k) {
        Integer[] idx = new Integer[k];
        for (int j = 0; j < k; j++) {
            idx[j] = j;
        }
        java.util.Arrays.sort(idx, (a, b) -> Float.compare(scores[row * k + b], scores[row * k + a]));
        int[] out = new int[k];
        for (int j = 0; j < k; j++) {
            out[j] = idx[j];
        }
        return out;
    }
}
