package org.widerobust.descriptors.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.widerobust.descriptors.loss.DlrLoss;
import org.widerobust.descriptors.loss.KlDivergenceLoss;
import org.widerobust.descriptors.loss.L1LogitDistanceLoss;
import org.widerobust.descriptors.loss.LossHead;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.loss.TradesLoss;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.reference.DTensor;
import org.widerobust.descriptors.reference.FiniteDifference;
import org.widerobust.descriptors.reference.ReferenceInterpreter;

/**
 * Checks a gradient graph from {@link Differentiator} against central finite differences, in double precision with
 * the {@link ReferenceInterpreter}. The gradient graph itself is evaluated (all inputs and initializers as doubles)
 * for the analytic gradients; the finite differences evaluate that same graph's {@code loss} output (pruned to the
 * nodes the loss depends on). For the input and each requested parameter, at most {@link #samples(int)} seeded
 * random indices are compared with {@code |a - n| <= rtol max(|a|, |n|) + atol}.
 * <p>
 * Unset feeds get seeded defaults: the input N(0, 1) of shape {@code [batch, exampleShape...]}; {@code labels}
 * uniform classes (one per logits row, or per half for a doubled-batch loss); {@code target_labels} a class other
 * than the label; {@code target_probs} softmax rows of N(0, 1) logits; {@code trades_lambda} 6.
 */
final class GradientChecker {
    static final double DEFAULT_H = 1e-5;
    static final double DEFAULT_RTOL = 1e-6;
    static final double DEFAULT_ATOL = 1e-8;

    private final Network net;
    private final LossHead loss;
    private Reduction reduction = Reduction.SUM;
    private List<String> parameters;
    private final Map<String, DTensor> feeds = new LinkedHashMap<>();
    private long seed = 42;
    private int batch = 2;
    private int samples = 20;
    private double h = DEFAULT_H;
    private double rtol = DEFAULT_RTOL;
    private double atol = DEFAULT_ATOL;
    private boolean parametersAsInputs;
    private double analyticScale = 1;
    private UnaryOperator<ModelProto> tamper = UnaryOperator.identity();

    private GradientChecker(Network net, LossHead loss) {
        this.net = net;
        this.loss = loss;
        this.parameters = net.parameters();
    }

    static GradientChecker of(Network net, LossHead loss) {
        return new GradientChecker(net, loss);
    }

    /** Wraps a forward graph as a {@link Network} (no batch-norm statistics, bounds [0, 1]). */
    static Network network(String name, ModelProto model, String input, String logits, long[] exampleShape,
                           int numClasses, List<String> parameters) {
        return new Network(name, model, input, logits, exampleShape, numClasses, parameters, List.of(),
                new float[] {0f, 1f});
    }

    GradientChecker reduction(Reduction r) {
        this.reduction = r;
        return this;
    }

    /** The parameters whose gradients are requested and checked (default: all of the network's). */
    GradientChecker parameters(String... names) {
        this.parameters = List.of(names);
        return this;
    }

    GradientChecker parameters(List<String> names) {
        this.parameters = List.copyOf(names);
        return this;
    }

    /** Sets a graph input, or overrides an initializer (for example a parameter or a running statistic). */
    GradientChecker feed(String name, DTensor value) {
        feeds.put(name, value);
        return this;
    }

    GradientChecker seed(long s) {
        this.seed = s;
        return this;
    }

    /** Batch size of the default input. */
    GradientChecker batch(int n) {
        this.batch = n;
        return this;
    }

    GradientChecker samples(int n) {
        this.samples = n;
        return this;
    }

    GradientChecker step(double step) {
        this.h = step;
        return this;
    }

    GradientChecker tolerance(double relative, double absolute) {
        this.rtol = relative;
        this.atol = absolute;
        return this;
    }

    GradientChecker parametersAsInputs(boolean b) {
        this.parametersAsInputs = b;
        return this;
    }

    /** Multiplies every analytic gradient by {@code s} before comparing (to show that the checker can fail). */
    GradientChecker analyticScale(double s) {
        this.analyticScale = s;
        return this;
    }

    /** Rewrites the gradient graph before the analytic gradients are read from it (not the finite differences). */
    GradientChecker tamper(UnaryOperator<ModelProto> t) {
        this.tamper = t;
        return this;
    }

    /** One compared coordinate. */
    record Comparison(String tensor, int index, double analytic, double numeric, boolean ok) {
        @Override
        public String toString() {
            return String.format("%s[%d]: analytic %.12g, numeric %.12g, diff %.3g%s", tensor, index, analytic,
                    numeric, Math.abs(analytic - numeric), ok ? "" : "  <-- MISMATCH");
        }
    }

    /** All comparisons, the graph and the analytic run's outputs. */
    record Result(GradientGraph graph, Map<String, DTensor> feeds, Map<String, DTensor> outputs,
                  List<Comparison> comparisons) {
        boolean ok() {
            return comparisons.stream().allMatch(Comparison::ok);
        }

        List<Comparison> mismatches() {
            return comparisons.stream().filter(c -> !c.ok()).toList();
        }

        /** How many coordinates of {@code tensor} were compared. */
        long checked(String tensor) {
            return comparisons.stream().filter(c -> c.tensor().equals(tensor)).count();
        }

        double maxAbsGradient(String tensor) {
            return comparisons.stream().filter(c -> c.tensor().equals(tensor))
                    .mapToDouble(c -> Math.abs(c.numeric())).max().orElse(0);
        }

        Result assertOk() {
            if (!ok()) {
                StringBuilder sb = new StringBuilder("gradient mismatch (" + mismatches().size() + " of "
                        + comparisons.size() + " coordinates):\n");
                comparisons.forEach(c -> sb.append("  ").append(c).append('\n'));
                fail(sb.toString());
            }
            return this;
        }
    }

    /** Runs the comparison without asserting. */
    Result run() {
        GradientRequest req = new GradientRequest(loss, reduction, true, parameters, parametersAsInputs, List.of());
        GradientGraph gg = Differentiator.differentiate(net, req);
        ModelProto full = gg.model();
        Random rnd = new Random(seed);

        Map<String, DTensor> in = new LinkedHashMap<>();
        Map<String, TensorProto> init = net.initializers();
        for (String p : net.parameters()) {
            in.put(p, DTensor.fromProto(init.get(p)));
        }
        in.put(net.input(), feeds.containsKey(net.input()) ? feeds.get(net.input()) : defaultInput(rnd));
        in.putAll(feeds);
        ReferenceInterpreter logitsOnly = new ReferenceInterpreter(prune(full, gg.logits()));
        int rows = (int) logitsOnly.runAll(in).get(gg.logits()).dim(0);
        addLossInputDefaults(in, rows, rnd);

        Map<String, DTensor> outputs = new ReferenceInterpreter(tamper.apply(full)).run(in);
        ReferenceInterpreter lossOnly = new ReferenceInterpreter(prune(full, gg.loss()));

        List<Comparison> comparisons = new ArrayList<>();
        Map<String, String> checked = new LinkedHashMap<>();
        checked.put(net.input(), gg.inputGradient());
        gg.parameterGradients().forEach(checked::put);
        for (Map.Entry<String, String> e : checked.entrySet()) {
            String name = e.getKey();
            DTensor value = in.get(name);
            DTensor grad = outputs.get(e.getValue());
            if (!Arrays.equals(value.shape(), grad.shape())) {
                fail("gradient of '" + name + "' has shape " + Arrays.toString(grad.shape()) + " but the value has "
                        + Arrays.toString(value.shape()));
            }
            int[] idx = sample(value.size(), rnd);
            long[] shape = value.shape();
            Map<String, DTensor> work = new LinkedHashMap<>(in);
            double[] numeric = FiniteDifference.gradient(w -> {
                work.put(name, new DTensor(value.type(), shape, w));
                return lossOnly.runAll(work).get(gg.loss()).data()[0];
            }, value.data(), idx, h);
            for (int k = 0; k < idx.length; k++) {
                double a = grad.data()[idx[k]] * analyticScale;
                double n = numeric[k];
                boolean ok = Math.abs(a - n) <= rtol * Math.max(Math.abs(a), Math.abs(n)) + atol;
                comparisons.add(new Comparison(name, idx[k], a, n, ok));
            }
        }
        return new Result(gg, in, outputs, comparisons);
    }

    /** Runs and asserts agreement; also asserts that some gradient is not negligible (a vacuous check fails). */
    Result check() {
        Result r = run().assertOk();
        double max = r.comparisons().stream().mapToDouble(c -> Math.abs(c.numeric())).max().orElse(0);
        assertTrue(max > 1e-4, "every checked gradient is (nearly) zero: the check would be vacuous");
        return r;
    }

    private DTensor defaultInput(Random rnd) {
        long[] shape = new long[net.exampleShape().length + 1];
        shape[0] = batch;
        System.arraycopy(net.exampleShape(), 0, shape, 1, net.exampleShape().length);
        return normal(rnd, shape, 1.0);
    }

    private void addLossInputDefaults(Map<String, DTensor> in, int rows, Random rnd) {
        int k = net.numClasses();
        int n = loss.labelRows(rows);
        if (!in.containsKey("labels")) {
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextInt(k);
            }
            in.put("labels", DTensor.ofLongs(new long[] {n}, y));
        }
        if (!in.containsKey(DlrLoss.TARGET)) {
            long[] y = in.get("labels").toLongs();
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                t[i] = (y[i] + 1 + rnd.nextInt(k - 1)) % k;
            }
            in.put(DlrLoss.TARGET, DTensor.ofLongs(new long[] {n}, t));
        }
        if (!in.containsKey(KlDivergenceLoss.TARGET)) {
            in.put(KlDivergenceLoss.TARGET, softmaxRows(normal(rnd, new long[] {n, k}, 1.0)));
        }
        if (!in.containsKey(L1LogitDistanceLoss.REFERENCE)) {
            in.put(L1LogitDistanceLoss.REFERENCE, normal(rnd, new long[] {n, k}, 1.0));
        }
        if (!in.containsKey(TradesLoss.LAMBDA)) {
            in.put(TradesLoss.LAMBDA, DTensor.scalar(6.0));
        }
    }

    private int[] sample(int size, Random rnd) {
        if (size <= samples) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        Set<Integer> chosen = new java.util.LinkedHashSet<>();
        while (chosen.size() < samples) {
            chosen.add(rnd.nextInt(size));
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    static DTensor normal(Random rnd, long[] shape, double sigma) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sigma * rnd.nextGaussian();
        }
        return DTensor.of(shape, v);
    }

    static DTensor uniform(Random rnd, long[] shape, double lo, double hi) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return DTensor.of(shape, v);
    }

    static DTensor softmaxRows(DTensor z) {
        int n = (int) z.dim(0);
        int k = (int) z.dim(1);
        double[] p = new double[n * k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z.data()[i * k + j]);
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                p[i * k + j] = Math.exp(z.data()[i * k + j] - max);
                s += p[i * k + j];
            }
            for (int j = 0; j < k; j++) {
                p[i * k + j] /= s;
            }
        }
        return DTensor.of(z.shape(), p);
    }

    /** The model reduced to the nodes {@code output} depends on, with {@code output} as its only output. */
    static ModelProto prune(ModelProto model, String output) {
        GraphProto g = model.getGraph();
        Set<String> needed = new HashSet<>(Set.of(output));
        List<NodeProto> kept = new ArrayList<>();
        for (int i = g.getNodeCount() - 1; i >= 0; i--) {
            NodeProto n = g.getNode(i);
            boolean any = false;
            for (String o : n.getOutputList()) {
                any |= needed.contains(o);
            }
            if (any) {
                kept.add(0, n);
                needed.addAll(n.getInputList());
            }
        }
        GraphProto.Builder b = g.toBuilder().clearNode().addAllNode(kept).clearOutput()
                .addOutput(ValueInfoProto.newBuilder().setName(output));
        return model.toBuilder().setGraph(b).build();
    }
}
