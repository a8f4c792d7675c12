package org.widerobust.plugin.train;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.widerobust.adapters.network.ParameterStore;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor;

/**
 * The weights of a network under training, in two forms: the training form (batch statistics) whose
 * {@link ParameterStore} the optimiser updates, and the inference form (running statistics) that attacks and the
 * exported model use. For networks without batch normalisation both forms share one store; otherwise the inference
 * store also holds the running statistics as live buffers and {@link #syncParameters()} copies the trained
 * parameters into it.
 */
final class LiveWeights {
    private final Network training;
    private final Network inference;
    private final ParameterStore trainStore;
    private final ParameterStore evalStore;
    private final boolean separate;

    /**
     * @param domain the declared input domain of the data (see {@code NetworkModel.inputDomain()}), which the
     *               networks carry as their input bounds
     */
    LiveWeights(NetworkDescriptor descriptor, long[] exampleShape, int numClasses, long seed, float[] domain) {
        this.training = withoutRunningStatistics(withBounds(
                descriptor.build(exampleShape, numClasses, seed, NetworkDescriptor.Mode.TRAINING), domain));
        this.inference = withBounds(descriptor.build(exampleShape, numClasses, seed,
                NetworkDescriptor.Mode.INFERENCE), domain);
        this.trainStore = new ParameterStore(training);
        this.separate = !training.batchNorms().isEmpty();
        if (separate) {
            List<String> live = new ArrayList<>(inference.parameters());
            for (Network.BatchNormStatistics bn : training.batchNorms()) {
                live.add(bn.runningMean());
                live.add(bn.runningVar());
            }
            Network evalNet = new Network(inference.name(), inference.model(), inference.input(), inference.logits(),
                    inference.exampleShape(), inference.numClasses(), live, List.of(), inference.inputBounds());
            this.evalStore = new ParameterStore(evalNet);
        } else {
            this.evalStore = trainStore;
        }
    }

    private static Network withBounds(Network n, float[] domain) {
        return new Network(n.name(), n.model(), n.input(), n.logits(), n.exampleShape(), n.numClasses(),
                n.parameters(), n.batchNorms(), domain);
    }

    /** The training form without its (unused) running-statistic initializers. */
    private static Network withoutRunningStatistics(Network n) {
        if (n.batchNorms().isEmpty()) {
            return n;
        }
        java.util.Set<String> unused = new java.util.HashSet<>();
        for (Network.BatchNormStatistics bn : n.batchNorms()) {
            unused.add(bn.runningMean());
            unused.add(bn.runningVar());
        }
        var graph = n.model().getGraph().toBuilder();
        for (int i = graph.getInitializerCount() - 1; i >= 0; i--) {
            if (unused.contains(graph.getInitializer(i).getName())) {
                graph.removeInitializer(i);
            }
        }
        for (int i = graph.getInputCount() - 1; i >= 0; i--) {
            if (unused.contains(graph.getInput(i).getName())) {
                graph.removeInput(i);
            }
        }
        return new Network(n.name(), n.model().toBuilder().setGraph(graph).build(), n.input(), n.logits(),
                n.exampleShape(), n.numClasses(), n.parameters(), n.batchNorms(), n.inputBounds());
    }

    Network training() {
        return training;
    }

    ParameterStore trainStore() {
        return trainStore;
    }

    /** The store an inference-form session reads (parameters and, with batch norm, running statistics). */
    ParameterStore evalStore() {
        return evalStore;
    }

    /** Copies the trained parameters into the inference store (no-op without batch norm). */
    void syncParameters() {
        if (separate) {
            for (String p : trainStore.names()) {
                evalStore.buffer(p).put(trainStore.buffer(p));
            }
        }
    }

    /** Live running-statistic buffer by initializer name. */
    FloatBuffer runningStatistic(String name) {
        return evalStore.buffer(name);
    }

    /** Every tensor of the state: parameters, then running statistics, by name (live buffers). */
    Map<String, FloatBuffer> stateTensors() {
        Map<String, FloatBuffer> m = new LinkedHashMap<>();
        for (String p : trainStore.names()) {
            m.put(p, trainStore.buffer(p));
        }
        for (Network.BatchNormStatistics bn : training.batchNorms()) {
            m.put(bn.runningMean(), evalStore.buffer(bn.runningMean()));
            m.put(bn.runningVar(), evalStore.buffer(bn.runningVar()));
        }
        return m;
    }

    /** The inference-form network with the current parameters and running statistics as initializers. */
    Network export() {
        syncParameters();
        Network n = evalStore.toNetwork();
        return new Network(inference.name(), n.model(), inference.input(), inference.logits(),
                inference.exampleShape(), inference.numClasses(), inference.parameters(), List.of(),
                inference.inputBounds());
    }
}
