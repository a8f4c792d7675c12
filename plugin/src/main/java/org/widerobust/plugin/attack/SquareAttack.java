package org.widerobust.plugin.attack;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The L∞ Square Attack (Andriushchenko et al. 2020): a score-based random search that needs only the model's
 * scores, so it works on any {@link AttackTarget}. It starts from vertical stripes of ±ε (one sign per channel and
 * column), then repeatedly proposes, per example, a random square window set to ±2ε per channel (clipped to the
 * ball ∩ box) and keeps it when the margin loss {@code z_y − max_{j≠y} z_j} decreases. The square's side follows the
 * p-schedule (p_init halved after iterations 10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000, rescaled to the query
 * budget). An example stops as soon as it is misclassified. Examples are treated as {@code [channels, height,
 * width]}; other shapes as one channel of one row.
 */
public final class SquareAttack extends AbstractAttack {
    private static final int[] SCHEDULE = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};

    @Config(description = "Queries per example (>= 1), including the initial one.")
    private int queries = 5000;

    @Config(description = "Initial fraction of pixels a square covers (0 < p <= 1).")
    private double pInit = 0.8;

    /** For OLCUT: set the {@code @Config} fields, then {@link #postConfig()} validates them. */
    public SquareAttack() {}

    public SquareAttack(double epsilon, int queries) {
        this(epsilon, queries, 0.8);
    }

    public SquareAttack(double epsilon, int queries, double pInit) {
        super(epsilon, Norm.LINF);
        this.queries = queries;
        this.pInit = pInit;
        postConfig();
    }

    @Override
    public void postConfig() {
        super.postConfig();
        if (norm != Norm.LINF) {
            throw new PropertyException("", "norm", "the square attack supports only LINF, found " + norm);
        }
        checkAtLeast("queries", queries, 1);
        if (!(pInit > 0 && pInit <= 1)) {
            throw new PropertyException("", "pInit", "pInit must be in (0, 1], found " + pInit);
        }
    }

    @Override
    public String name() {
        return "square-" + queries;
    }

    @Override
    public boolean needsGradients() {
        return false;
    }

    public int queries() {
        return queries;
    }

    /** The fraction of pixels a square covers at iteration {@code it} (reference p-schedule, rescaled). */
    double p(int it) {
        int scaled = (int) (it / (double) queries * 10000);
        double p = pInit;
        for (int threshold : SCHEDULE) {
            if (scaled > threshold) {
                p /= 2;
            }
        }
        return p;
    }

    @Override
    protected AttackResult attackBatch(AttackTarget target, float[] x, int[] labels, int n, long seed) {
        int len = target.exampleLength();
        int kc = target.numClasses();
        float[] bounds = target.inputBounds();
        long[] shape = target.exampleShape();
        int c = shape.length == 3 ? (int) shape[0] : 1;
        int h = shape.length == 3 ? (int) shape[1] : shape.length == 2 ? (int) shape[0] : 1;
        int w = len / (c * h);
        float e = (float) epsilon;
        SplittableRandom rng = new SplittableRandom(seed);

        float[] xs = Arrays.copyOf(x, n * len);
        float[] best = new float[n * len];
        for (int k = 0; k < n; k++) {
            for (int ch = 0; ch < c; ch++) {
                for (int col = 0; col < w; col++) {
                    float s = rng.nextBoolean() ? e : -e;
                    for (int row = 0; row < h; row++) {
                        int i = k * len + (ch * h + row) * w + col;
                        best[i] = xs[i] + s;
                    }
                }
            }
        }
        ThreatModelMath.project(best, xs, n, len, Norm.LINF, epsilon, bounds);
        float[] z = logits(target, best, n);
        float[] margin = new float[n];
        int[] pred = new int[n];
        int[] used = new int[n];
        for (int k = 0; k < n; k++) {
            margin[k] = Scores.margin(z, k, kc, labels[k]);
            pred[k] = Scores.argmax(z, k, kc);
            used[k] = 1;
        }
        for (int it = 0; it < queries - 1; it++) {
            int[] act = active(margin);
            if (act.length == 0) {
                break;
            }
            int a = act.length;
            int side = (int) Math.max(Math.round(Math.sqrt(p(it) * len / c)), 1);
            side = Math.min(side, Math.min(h, w));
            float[] cand = Batches.gather(best, act, len);
            float[] xa = Batches.gather(xs, act, len);
            for (int k = 0; k < a; k++) {
                int vh = h - side > 0 ? rng.nextInt(h - side) : 0;
                int vw = w - side > 0 ? rng.nextInt(w - side) : 0;
                for (int ch = 0; ch < c; ch++) {
                    float delta = rng.nextBoolean() ? 2 * e : -2 * e;
                    for (int row = vh; row < vh + side; row++) {
                        int base = k * len + (ch * h + row) * w;
                        for (int col = vw; col < vw + side; col++) {
                            cand[base + col] += delta;
                        }
                    }
                }
            }
            ThreatModelMath.project(cand, xa, a, len, Norm.LINF, epsilon, bounds);
            float[] za = logits(target, cand, a);
            for (int k = 0; k < a; k++) {
                int i = act[k];
                used[i]++;
                float mk = Scores.margin(za, k, kc, labels[i]);
                if (mk < margin[i]) {
                    margin[i] = mk;
                    pred[i] = Scores.argmax(za, k, kc);
                    Batches.copyExample(cand, k, best, i, len);
                }
            }
        }
        return new AttackResult(best, pred, used);
    }

    private static int[] active(float[] margin) {
        boolean[] keep = new boolean[margin.length];
        for (int i = 0; i < margin.length; i++) {
            keep[i] = margin[i] > 0;
        }
        return Batches.where(keep);
    }
}
