package org.widerobust.plugin.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * The model's outputs are NaN or infinite, so no accuracy, stability or attack on them means anything. Thrown by
 * the evaluation before it reports any figure; the message names the outputs (how many examples, the first one and
 * its scores) and the callers add the model.
 */
public final class NonFiniteOutputException extends IllegalStateException {
    private final int badExamples;
    private final int firstExample;

    NonFiniteOutputException(String message, int badExamples, int firstExample) {
        super(message);
        this.badExamples = badExamples;
        this.firstExample = firstExample;
    }

    /** The same error with the model named first, e.g. {@code "model.onnx: the model's outputs are not finite…"}. */
    public NonFiniteOutputException naming(String model) {
        NonFiniteOutputException e = new NonFiniteOutputException(model + ": " + getMessage(), badExamples,
                firstExample);
        e.initCause(this);
        return e;
    }

    /** Examples of the batch whose scores were not all finite. */
    public int badExamples() {
        return badExamples;
    }

    /** Index (in the data) of the first such example. */
    public int firstExample() {
        return firstExample;
    }

    /**
     * Throws if any of {@code n} rows of {@code k} scores is NaN or infinite.
     *
     * @param from  index of row 0 in the data
     * @param where where the scores came from, e.g. {@code "on the clean inputs"}, {@code "under pgd-20"}
     */
    static void check(float[] scores, int n, int k, int from, String where) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                if (!Float.isFinite(scores[i * k + j])) {
                    bad++;
                    if (first < 0) {
                        first = i;
                    }
                    break;
                }
            }
        }
        if (bad > 0) {
            float[] row = Arrays.copyOfRange(scores, first * k, first * k + k);
            throw new NonFiniteOutputException(String.format(Locale.ROOT,
                    "the model's outputs are not finite %s: %d of %d examples in this batch have NaN or infinite "
                            + "scores (first: example %d, scores %s)", where, bad, n, from + first,
                    Arrays.toString(row)), bad, from + first);
        }
    }
}
