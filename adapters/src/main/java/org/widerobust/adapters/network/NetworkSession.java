package org.widerobust.adapters.network;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.widerobust.adapters.engine.CompiledGraph;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.descriptors.autodiff.Differentiator;
import org.widerobust.descriptors.autodiff.GradientGraph;
import org.widerobust.descriptors.autodiff.GradientRequest;
import org.widerobust.descriptors.graph.GraphRewrites;
import org.widerobust.descriptors.loss.DlrLoss;
import org.widerobust.descriptors.loss.KlDivergenceLoss;
import org.widerobust.descriptors.loss.L1LogitDistanceLoss;
import org.widerobust.descriptors.loss.LossHead;
import org.widerobust.descriptors.loss.Losses;
import org.widerobust.descriptors.network.Network;

/**
 * A network ready to run: its forward graph, and for each attack loss (compiled on first use) a graph that returns
 * the per-example loss, the logits and the input gradient in one run. Weights are either fixed (initializers) or
 * read live from a {@link ParameterStore}. A graph exported with a fixed batch size runs any number of examples:
 * they are split into batches of that size and the last is padded ({@link FixedBatch}). Not thread-safe.
 */
public final class NetworkSession implements AutoCloseable {
    private final Engine engine;
    private final Network network;
    private final ParameterStore parameters;
    private final CompiledGraph forward;
    private final Map<String, CompiledGraph> gradientGraphs = new HashMap<>();
    private final int fixedBatch;

    /** A session with the network's own (fixed) weights. */
    public NetworkSession(Engine engine, Network network) {
        this(engine, network, null);
    }

    /** A session that reads weights from {@code parameters} at every run (null for fixed weights). */
    public NetworkSession(Engine engine, Network network, ParameterStore parameters) {
        this.engine = engine;
        this.network = network;
        this.parameters = parameters;
        this.forward = engine.compile(parameters == null ? network.model() : GraphRewrites.initializersToInputs(network.model(), network.parameters()),
                network.name() + "/forward");
        this.fixedBatch = fixedBatchOf(network);
    }

    /** The batch size the graph was exported with, or 0 when its batch dimension is symbolic. */
    private static int fixedBatchOf(Network network) {
        for (ai.onnx.proto.OnnxMl.ValueInfoProto v : network.model().getGraph().getInputList()) {
            if (v.getName().equals(network.input())) {
                long[] dims = org.widerobust.descriptors.graph.GraphBuilder.dimsOf(v);
                return dims.length > 0 && dims[0] > 0 ? Math.toIntExact(dims[0]) : 0;
            }
        }
        return 0;
    }

    /** The fixed batch size of the graph (every run is split or padded to it), or 0 when the batch is free. */
    public int fixedBatch() {
        return fixedBatch;
    }

    /**
     * A session over the store's current values, baked in as constants. ONNX Runtime runs such graphs faster than
     * ones that read weights at every run (blocked convolution layouts and prepacked matrices need constant
     * weights), at the price of compiling once per snapshot; attacks inside a training step use it.
     */
    public static NetworkSession snapshot(Engine engine, ParameterStore store) {
        return new NetworkSession(engine, store.liveView());
    }

    public Network network() {
        return network;
    }

    public int exampleLength() {
        return network.exampleLength();
    }

    public int numClasses() {
        return network.numClasses();
    }

    /** Logits {@code [n, K]} of {@code n} examples stored contiguously in {@code x}. */
    public void logits(float[] x, int n, float[] out) {
        if (fixedBatch > 0 && n != fixedBatch) {
            FixedBatch.logits(this, fixedBatch, x, n, out);
            return;
        }
        fillInput(forward, x, n);
        if (parameters != null) {
            parameters.bind(forward);
        }
        forward.run(network.logits());
        forward.floatOutput(network.logits()).get(out, 0, n * network.numClasses());
    }

    /**
     * One run of the attack graph of {@code loss} (see {@link Losses}): the input gradient of the summed loss
     * {@code [n * exampleLength]}, the per-example loss {@code [n]} and the logits {@code [n * K]}. Any output
     * array may be null if not wanted.
     */
    public void lossGradient(String loss, float[] x, int n, LossTargets targets, float[] gradOut, float[] lossOut,
                             float[] logitsOut) {
        if (fixedBatch > 0 && n != fixedBatch) {
            FixedBatch.lossGradient(this, fixedBatch, loss, x, n, targets, gradOut, lossOut, logitsOut);
            return;
        }
        CompiledGraph g = gradientGraph(loss);
        fillInput(g, x, n);
        for (String in : g.inputNames()) {
            switch (in) {
                case "labels" -> fillLabels(g.longInput(in, n), targets.labels(), n, "labels");
                case KlDivergenceLoss.TARGET -> fillClassRows(g, in, targets.targetProbs(), n, "target probabilities");
                case L1LogitDistanceLoss.REFERENCE -> fillClassRows(g, in, targets.referenceLogits(), n,
                        "reference logits");
                case DlrLoss.TARGET -> fillLabels(g.longInput(in, n), targets.targetLabels(), n, "target labels");
                default -> { }
            }
        }
        if (parameters != null) {
            parameters.bind(g);
        }
        g.run(List.of(Differentiator.INPUT_GRADIENT, Differentiator.LOSS_PER_EXAMPLE, network.logits()));
        if (gradOut != null) {
            g.floatOutput(Differentiator.INPUT_GRADIENT).get(gradOut, 0, n * exampleLength());
        }
        if (lossOut != null) {
            g.floatOutput(Differentiator.LOSS_PER_EXAMPLE).get(lossOut, 0, n);
        }
        if (logitsOut != null) {
            g.floatOutput(network.logits()).get(logitsOut, 0, n * numClasses());
        }
    }

    private CompiledGraph gradientGraph(String loss) {
        return gradientGraphs.computeIfAbsent(loss, l -> {
            LossHead head = Losses.create(l);
            GradientGraph gg = Differentiator.differentiate(network, GradientRequest.inputOnly(head, parameters != null));
            return engine.compile(gg.model(), network.name() + "/grad-" + l);
        });
    }

    private void fillInput(CompiledGraph g, float[] x, int n) {
        long[] shape = network.batchedInputShape();
        shape[0] = n;
        FloatBuffer b = g.floatInput(network.input(), shape);
        b.put(x, 0, n * exampleLength());
    }

    private void fillClassRows(CompiledGraph g, String input, float[] rows, int n, String what) {
        if (rows == null) {
            throw new IllegalArgumentException("this loss needs " + what);
        }
        g.floatInput(input, n, numClasses()).put(rows, 0, n * numClasses());
    }

    private static void fillLabels(LongBuffer b, int[] labels, int n, String what) {
        if (labels == null) {
            throw new IllegalArgumentException("this loss needs " + what);
        }
        for (int i = 0; i < n; i++) {
            b.put(i, labels[i]);
        }
    }

    @Override
    public void close() {
        forward.close();
        for (CompiledGraph g : gradientGraphs.values()) {
            g.close();
        }
        gradientGraphs.clear();
    }
}
