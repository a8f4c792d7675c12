package org.widerobust.adapters.network;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import org.widerobust.adapters.engine.Buffers;
import org.widerobust.adapters.engine.CompiledGraph;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.descriptors.autodiff.Differentiator;
import org.widerobust.descriptors.autodiff.GradientGraph;
import org.widerobust.descriptors.autodiff.GradientRequest;
import org.widerobust.descriptors.loss.LossHead;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.loss.TradesLoss;
import org.widerobust.descriptors.network.Network;

/**
 * The training graph of a network and a loss: one run gives the loss and the gradient of every parameter in a
 * {@link ParameterStore}, read zero-copy from the store and written into reused buffers.
 */
public final class ParameterGradients implements AutoCloseable {
    private final ParameterStore store;
    private final LossHead loss;
    private final GradientGraph graph;
    private final CompiledGraph compiled;
    private final List<String> outputs = new ArrayList<>();

    public ParameterGradients(Engine engine, ParameterStore store, LossHead loss, Reduction reduction) {
        this.store = store;
        this.loss = loss;
        Network net = store.network();
        List<String> extra = new ArrayList<>();
        for (Network.BatchNormStatistics bn : net.batchNorms()) {
            extra.add(bn.batchMean());
            extra.add(bn.batchVar());
        }
        this.graph = Differentiator.differentiate(net,
                new GradientRequest(loss, reduction, false, net.parameters(), true, extra));
        // run once per training step, between the attack's runs of other graphs: per-run buffers, so its memory
        // (the largest of the step's graphs, on a doubled batch for TRADES) is not held while the attack runs
        this.compiled = engine.compile(graph.model(), net.name() + "/train-" + loss.name(), Buffers.PER_RUN);
        outputs.add(Differentiator.LOSS);
        outputs.addAll(graph.parameterGradients().values());
        outputs.addAll(extra);
        outputs.addAll(loss.partOutputs());
    }

    /**
     * Runs the graph on {@code rows} examples of {@code x} (for the TRADES loss: the clean batch followed by its
     * adversarial copy) and returns the loss.
     *
     * @param labels labels of the (clean) examples
     * @param lambda λ of a {@link org.widerobust.descriptors.loss.RegularizedObjective} (ignored by other losses)
     */
    public float compute(float[] x, int rows, int[] labels, float lambda) {
        Network net = store.network();
        long[] shape = net.batchedInputShape();
        shape[0] = rows;
        compiled.floatInput(net.input(), shape).put(x, 0, rows * net.exampleLength());
        for (String in : graph.lossInputs()) {
            if (in.equals(TradesLoss.LAMBDA)) {
                compiled.floatInput(in).put(0, lambda);
            } else {
                int n = loss.labelRows(rows);
                var b = compiled.longInput(in, n);
                for (int i = 0; i < n; i++) {
                    b.put(i, labels[i]);
                }
            }
        }
        store.bind(compiled);
        compiled.run(outputs);
        return compiled.floatOutput(Differentiator.LOSS).get(0);
    }

    /** The gradient of a parameter from the last {@link #compute} (read-only, overwritten by the next run). */
    public FloatBuffer gradient(String parameter) {
        return compiled.floatOutput(graph.parameterGradients().get(parameter));
    }

    /**
     * A scalar part of the loss from the last {@link #compute} (one of {@link LossHead#partOutputs()}, for example
     * {@code natural_risk}).
     */
    public float part(String name) {
        if (!loss.partOutputs().contains(name)) {
            throw new IllegalArgumentException("the " + loss.name() + " loss has no part '" + name + "'");
        }
        return compiled.floatOutput(name).get(0);
    }

    /** A forward value output by the last run (for example a batch-norm batch mean). */
    public FloatBuffer output(String name) {
        return compiled.floatOutput(name);
    }

    public ParameterStore store() {
        return store;
    }

    @Override
    public void close() {
        compiled.close();
    }
}
