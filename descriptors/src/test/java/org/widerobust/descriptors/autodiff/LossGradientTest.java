package org.widerobust.descriptors.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;
import org.widerobust.descriptors.loss.DlrLoss;
import org.widerobust.descriptors.loss.KlDivergenceLoss;
import org.widerobust.descriptors.loss.L1LogitDistanceLoss;
import org.widerobust.descriptors.loss.LossHead;
import org.widerobust.descriptors.loss.Losses;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.loss.TradesLoss;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.reference.DTensor;

/**
 * Each loss head with each reduction: the {@code gradLogits} it seeds the backward pass with agrees with finite
 * differences of its {@code total}, and its per-example values agree with the formula computed directly in Java.
 * TRADES runs on a doubled batch (3 clean rows, then 3 adversarial ones) with λ = 6.
 */
class LossGradientTest {
    private static final int K = 5;
    private static final int N = 3;
    private static final double LAMBDA = 6.0;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<String> names = new ArrayList<>(Losses.ATTACK_LOSSES);
        names.add("trades");
        for (String name : names) {
            for (Reduction r : Reduction.values()) {
                out.add(Arguments.of(name, r));
            }
        }
        return out.stream();
    }

    private static LossHead head(String name) {
        return name.equals("trades") ? new TradesLoss() : Losses.create(name);
    }

    private static int rows(String name) {
        return name.equals("trades") ? 2 * N : N;
    }

    /** The logits are the graph input: the input gradient is exactly the loss head's gradLogits. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void gradLogitsAndPerExampleValues(String name, Reduction reduction) {
        GraphBuilder g = new GraphBuilder("logits_only");
        g.addInput("logits", DataType.FLOAT, Shapes.BATCH, K);
        g.addOutput("logits", DataType.FLOAT, Shapes.BATCH, K);
        Network net = GradientChecker.network("logits", g.build(), "logits", "logits", new long[] {K}, K, List.of());
        LossHead loss = head(name);
        Random rnd = new Random(11 + name.hashCode() + reduction.ordinal());
        DTensor z = GradientChecker.normal(rnd, new long[] {rows(name), K}, 2.0);
        GradientChecker.Result r = GradientChecker.of(net, loss).reduction(reduction).feed("logits", z)
                .seed(5 + name.length()).check();

        double[] expected = perExample(name, z, r);
        double[] actual = r.outputs().get(r.graph().lossPerExample()).data();
        assertArrayEquals(expected, actual, 1e-9 * (1 + Arrays.stream(expected).map(Math::abs).max().orElse(0)),
                name + " per-example values");
        double total = Arrays.stream(expected).sum();
        if (reduction == Reduction.MEAN) {
            total /= expected.length;
        }
        assertEquals(total, r.outputs().get(r.graph().loss()).data()[0], 1e-9 * (1 + Math.abs(total)));
    }

    /** The same losses behind a tiny Gemm: gradients reach the input and the Gemm's parameters. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void throughGemm(String name, Reduction reduction) {
        OpGraph o = OpGraph.seeded(3 + name.length(), 6);
        String y = o.op("Gemm", List.of(o.input(), o.param("w", 0, 0.8, 6, K), o.param("b", 0, 0.3, K)));
        GradientChecker.Result r = GradientChecker.of(o.logits(y, K), head(name)).reduction(reduction)
                .batch(rows(name)).check();
        assertEquals(3, r.comparisons().stream().map(GradientChecker.Comparison::tensor).distinct().count());
    }

    // ---------------------------------------------------------------- the formulas, directly

    private static double[] perExample(String name, DTensor z, GradientChecker.Result r) {
        long[] y = r.feeds().get("labels").toLongs();
        double[][] zz = rows(z);
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            int yi = (int) y[i];
            double[] zi = zz[i];
            out[i] = switch (name) {
                case "ce" -> -logSoftmax(zi)[yi];
                case "kl" -> {
                    double[] p = rows(r.feeds().get(KlDivergenceLoss.TARGET))[i];
                    double[] logq = logSoftmax(zi);
                    double s = 0;
                    for (int j = 0; j < K; j++) {
                        s += p[j] * (Math.log(p[j]) - logq[j]);
                    }
                    yield s;
                }
                case "cw" -> maxOther(zi, yi) - zi[yi];
                case "l1-logits" -> {
                    double[] ref = rows(r.feeds().get(L1LogitDistanceLoss.REFERENCE))[i];
                    double s = 0;
                    for (int j = 0; j < K; j++) {
                        s += Math.abs(zi[j] - ref[j]);
                    }
                    yield s;
                }
                case "dlr" -> {
                    double[] s = sortedDescending(zi);
                    yield -(zi[yi] - maxOther(zi, yi)) / (s[0] - s[2] + 1e-12);
                }
                case "dlr-targeted" -> {
                    int t = (int) r.feeds().get(DlrLoss.TARGET).toLongs()[i];
                    double[] s = sortedDescending(zi);
                    yield -(zi[yi] - zi[t]) / (s[0] - (s[2] + s[3]) / 2 + 1e-12);
                }
                case "margin-targeted" -> {
                    int t = (int) r.feeds().get(DlrLoss.TARGET).toLongs()[i];
                    yield zi[t] - zi[yi];
                }
                case "trades" -> {
                    double[] logp = logSoftmax(zi);
                    double[] logq = logSoftmax(zz[i + y.length]);
                    double kl = 0;
                    for (int j = 0; j < K; j++) {
                        kl += Math.exp(logp[j]) * (logp[j] - logq[j]);
                    }
                    yield -logp[yi] + LAMBDA * kl;
                }
                default -> throw new AssertionError(name);
            };
        }
        return out;
    }

    private static double[][] rows(DTensor t) {
        int n = (int) t.dim(0);
        int k = (int) t.dim(1);
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(t.data(), i * k, (i + 1) * k);
        }
        return out;
    }

    private static double[] logSoftmax(double[] z) {
        double max = Arrays.stream(z).max().orElseThrow();
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - max);
        }
        double lse = max + Math.log(s);
        return Arrays.stream(z).map(v -> v - lse).toArray();
    }

    private static double maxOther(double[] z, int y) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.length; j++) {
            if (j != y) {
                m = Math.max(m, z[j]);
            }
        }
        return m;
    }

    private static double[] sortedDescending(double[] z) {
        double[] s = z.clone();
        Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }
}
