package org.widerobust.descriptors.loss;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.List;

import org.widerobust.descriptors.graph.Attr;
import org.widerobust.descriptors.graph.GraphBuilder;

/**
 * A training objective in the λ form of Wu et al. (NeurIPS 2021), {@code R_nat + λ·R_rob}, over a doubled batch
 * {@code [x; x']} (clean examples first, their adversarial versions second). λ is the float scalar graph input
 * {@value #LAMBDA}, so a λ rule changes it between batches without rebuilding the graph. Besides the loss, the graph
 * outputs the two parts separately, each a mean over the clean half and without λ: {@value #NATURAL_RISK} and
 * {@value #ROBUST_REGULARIZATION}.
 */
public interface RegularizedObjective extends LossHead {
    /** Name of the float scalar λ input. */
    String LAMBDA = "lambda";
    /** Name of the scalar output: mean natural risk {@code R_nat} of the batch. */
    String NATURAL_RISK = "natural_risk";
    /** Name of the scalar output: mean robust regularisation {@code R_rob} of the batch (without λ). */
    String ROBUST_REGULARIZATION = "robust_regularization";

    @Override
    default int labelRows(int rows) {
        if (rows % 2 != 0) {
            throw new IllegalArgumentException("the " + name() + " loss needs a doubled batch [x; x'], got " + rows
                    + " rows");
        }
        return rows / 2;
    }

    @Override
    default List<ValueInfoProto> inputs(int numClasses) {
        return List.of(LossGraphs.labelsInput(), GraphBuilder.valueInfo(LAMBDA, DataType.FLOAT));
    }

    @Override
    default List<String> partOutputs() {
        return List.of(NATURAL_RISK, ROBUST_REGULARIZATION);
    }

    /**
     * The two halves of a doubled batch's logits {@code [2N, K]} and what both objectives build on them: the clean
     * logits {@code z}, the adversarial logits {@code z'}, the one-hot labels {@code [N, K]} and both log-softmaxes.
     */
    record Halves(String zNat, String zAdv, String oneHot, String logp, String logq) {
        /** Appends the split, the one-hot labels and the two log-softmaxes. */
        static Halves of(GraphBuilder g, String logits, int k) {
            String[] halves = g.ops("Split", List.of(logits), 2, Attr.i("axis", 0));
            String oneHot = LossGraphs.oneHot(g, LossGraphs.LABELS, k);
            String logp = g.op("LogSoftmax", halves[0], Attr.i("axis", 1));
            String logq = g.op("LogSoftmax", halves[1], Attr.i("axis", 1));
            return new Halves(halves[0], halves[1], oneHot, logp, logq);
        }
    }

    /**
     * Appends the objective's scalar part outputs: the batch means of the per-example natural risk and robust
     * regularisation {@code [N]}.
     */
    static void emitParts(GraphBuilder g, String naturalPerExample, String robustPerExample) {
        g.addNode("ReduceMean", List.of(naturalPerExample), List.of(NATURAL_RISK), Attr.i("keepdims", 0));
        g.addOutput(NATURAL_RISK, DataType.FLOAT);
        g.addNode("ReduceMean", List.of(robustPerExample), List.of(ROBUST_REGULARIZATION), Attr.i("keepdims", 0));
        g.addOutput(ROBUST_REGULARIZATION, DataType.FLOAT);
    }
}
