package org.widerobust.descriptors.loss;

import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.List;

import org.widerobust.descriptors.graph.GraphBuilder;

/**
 * A loss on logits {@code [N, K]}, appended to a graph with its analytic gradient. The differentiator seeds the
 * backward pass with {@link Outputs#gradLogits()}.
 */
public interface LossHead {
    /** A short stable name, e.g. {@code ce}, {@code kl}, {@code cw}, {@code dlr}, {@code dlr-targeted}. */
    String name();

    /** Extra graph inputs the loss reads (labels, target probabilities, ...), with the batch dimension symbolic. */
    List<ValueInfoProto> inputs(int numClasses);

    /** How many labels a batch of {@code rows} graph inputs carries (half of them for losses over doubled batches). */
    default int labelRows(int rows) {
        return rows;
    }

    /**
     * Names of further scalar graph outputs the loss appends besides its value (for a {@link RegularizedObjective}:
     * its natural risk and robust regularisation); empty by default.
     */
    default List<String> partOutputs() {
        return List.of();
    }

    /** Appends the loss to {@code g} over {@code logits}. */
    Outputs build(GraphBuilder g, String logits, int numClasses, Reduction reduction);

    /**
     * Names of the loss values in the graph.
     *
     * @param perExample the loss per example, {@code [N]} (for a loss over a doubled batch, the first half's size)
     * @param total      the reduced scalar loss
     * @param gradLogits d total / d logits, {@code [N, K]}
     */
    record Outputs(String perExample, String total, String gradLogits) {}
}
