package org.widerobust.descriptors.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.widerobust.descriptors.graph.GraphBuilder;
import org.widerobust.descriptors.graph.Shapes;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.loss.PgdLambdaLoss;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.loss.RegularizedObjective;
import org.widerobust.descriptors.loss.TradesLoss;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.reference.DTensor;
import org.widerobust.descriptors.reference.ReferenceInterpreter;

/**
 * The λ-form objectives (PGD-AT and TRADES) in double precision: gradients of both halves of the doubled batch
 * against central finite differences for several λ, their per-example values and R_nat / R_rob parts against the
 * formulas, and PGD-AT with λ = 1 against cross-entropy on the adversarial half alone.
 */
class RegularizedObjectiveTest {
    private static final int K = 5;
    private static final int N = 3;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : List.of("pgd-lambda", "trades")) {
            for (double lambda : new double[] {0, 0.5, 1, 2, 6}) {
                for (Reduction r : Reduction.values()) {
                    out.add(Arguments.of(name, lambda, r));
                }
            }
        }
        return out.stream();
    }

    private static RegularizedObjective head(String name) {
        return name.equals("trades") ? new TradesLoss() : new PgdLambdaLoss();
    }

    /** Logits as the graph input: both halves' gradients (the clean and the adversarial branch) are checked. */
    @ParameterizedTest(name = "{0} lambda={1} {2}")
    @MethodSource("cases")
    void gradientsValuesAndParts(String name, double lambda, Reduction reduction) {
        GraphBuilder g = new GraphBuilder("logits_only");
        g.addInput("logits", DataType.FLOAT, Shapes.BATCH, K);
        g.addOutput("logits", DataType.FLOAT, Shapes.BATCH, K);
        Network net = GradientChecker.network("logits", g.build(), "logits", "logits", new long[] {K}, K, List.of());
        Random rnd = new Random(31 + name.hashCode() + (long) (lambda * 10) + reduction.ordinal());
        DTensor z = GradientChecker.normal(rnd, new long[] {2 * N, K}, 2.0);
        GradientChecker.Result r = GradientChecker.of(net, head(name)).reduction(reduction).feed("logits", z)
                .feed(RegularizedObjective.LAMBDA, DTensor.scalar(lambda)).samples(2 * N * K).seed(9).check();
        assertEquals(2 * N * K, r.checked("logits"), "every logit of both halves is compared");

        long[] y = r.feeds().get("labels").toLongs();
        double[] nat = new double[N];
        double[] rob = new double[N];
        double[] per = new double[N];
        for (int i = 0; i < N; i++) {
            double[] logp = logSoftmax(Arrays.copyOfRange(z.data(), i * K, (i + 1) * K));
            double[] logq = logSoftmax(Arrays.copyOfRange(z.data(), (i + N) * K, (i + N + 1) * K));
            nat[i] = -logp[(int) y[i]];
            if (name.equals("trades")) {
                for (int j = 0; j < K; j++) {
                    rob[i] += Math.exp(logp[j]) * (logp[j] - logq[j]);
                }
            } else {
                rob[i] = -logq[(int) y[i]] - nat[i];
            }
            per[i] = nat[i] + lambda * rob[i];
        }
        assertArrayEquals(per, r.outputs().get(r.graph().lossPerExample()).data(), 1e-9);
        assertEquals(mean(nat), r.outputs().get(RegularizedObjective.NATURAL_RISK).data()[0], 1e-9);
        assertEquals(mean(rob), r.outputs().get(RegularizedObjective.ROBUST_REGULARIZATION).data()[0], 1e-9);
    }

    /** Behind a Gemm and a ReLU: the parameter and input gradients of both objectives at λ = 2. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void throughAHiddenLayer(String name) {
        OpGraph o = OpGraph.seeded(17, 6);
        String h = o.op("Relu", o.op("Gemm", List.of(o.input(), o.param("w1", 0, 0.7, 6, 8),
                o.param("b1", 0.1, 0.2, 8))));
        Network net = o.head(h, K);
        GradientChecker.Result r = GradientChecker.of(net, head(name)).reduction(Reduction.MEAN).batch(2 * N)
                .feed(RegularizedObjective.LAMBDA, DTensor.scalar(2.0)).check();
        assertEquals(5, r.comparisons().stream().map(GradientChecker.Comparison::tensor).distinct().count());
    }

    static Stream<String> objectives() {
        return Stream.of("pgd-lambda", "trades");
    }

    /** PGD-AT with λ = 1 on [x; x'] has exactly the parameter gradients of the mean cross-entropy on x' alone. */
    @Test
    void pgdLambdaOneIsCrossEntropyOnTheAdversarialHalf() {
        OpGraph o = OpGraph.seeded(23, 6);
        String h = o.op("Relu", o.op("Gemm", List.of(o.input(), o.param("w1", 0, 0.7, 6, 8),
                o.param("b1", 0.1, 0.2, 8))));
        Network net = o.head(h, K);
        GradientGraph lam = Differentiator.differentiate(net, new GradientRequest(new PgdLambdaLoss(),
                Reduction.MEAN, false, net.parameters(), false, List.of()));
        GradientGraph ce = Differentiator.differentiate(net, new GradientRequest(new CrossEntropyLoss(),
                Reduction.MEAN, false, net.parameters(), false, List.of()));
        Random rnd = new Random(5);
        DTensor both = GradientChecker.normal(rnd, new long[] {2 * N, 6}, 1.0);
        DTensor adv = new DTensor(both.type(), new long[] {N, 6}, Arrays.copyOfRange(both.data(), N * 6, 2 * N * 6));
        DTensor labels = DTensor.ofLongs(new long[] {N}, new long[] {4, 0, 2});
        Map<String, DTensor> a = new HashMap<>();
        a.put(net.input(), both);
        a.put("labels", labels);
        a.put(RegularizedObjective.LAMBDA, DTensor.scalar(1.0));
        Map<String, DTensor> b = new HashMap<>();
        b.put(net.input(), adv);
        b.put("labels", labels);
        Map<String, DTensor> ra = new ReferenceInterpreter(lam.model()).run(a);
        Map<String, DTensor> rb = new ReferenceInterpreter(ce.model()).run(b);
        assertEquals(rb.get(ce.loss()).data()[0], ra.get(lam.loss()).data()[0], 1e-12);
        for (String p : net.parameters()) {
            double[] expected = rb.get(ce.parameterGradients().get(p)).data();
            double[] actual = ra.get(lam.parameterGradients().get(p)).data();
            assertArrayEquals(expected, actual, 1e-12, p);
            assertEquals(true, Arrays.stream(expected).anyMatch(v -> Math.abs(v) > 1e-6), p + " gradient is zero");
        }
    }

    @Test
    void oddBatchIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PgdLambdaLoss().labelRows(5));
        assertEquals(4, new PgdLambdaLoss().labelRows(8));
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
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
}
