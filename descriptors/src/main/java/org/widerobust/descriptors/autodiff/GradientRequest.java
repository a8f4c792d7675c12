package org.widerobust.descriptors.autodiff;

import java.util.List;
import java.util.Set;

import org.widerobust.descriptors.loss.LossHead;
import org.widerobust.descriptors.loss.Reduction;

/**
 * What a gradient graph computes.
 *
 * @param loss               the loss head appended to the logits
 * @param reduction          how per-example losses are reduced
 * @param inputGradient      whether to output d loss / d input
 * @param parameters         parameters whose gradients to output (empty for attack graphs)
 * @param parametersAsInputs whether the network's parameters become graph inputs instead of initializers, so that
 *                           changing weights are fed zero-copy without rebuilding the session
 * @param extraOutputs       forward values to output as well (for example batch-norm batch statistics)
 */
public record GradientRequest(LossHead loss, Reduction reduction, boolean inputGradient, List<String> parameters,
                              boolean parametersAsInputs, List<String> extraOutputs) {
    public GradientRequest {
        parameters = List.copyOf(parameters);
        extraOutputs = List.copyOf(extraOutputs);
        if (Set.copyOf(parameters).size() != parameters.size()) {
            throw new IllegalArgumentException("duplicate parameter names in " + parameters);
        }
    }

    /** An attack graph: input gradient only, summed over the batch. */
    public static GradientRequest inputOnly(LossHead loss, boolean parametersAsInputs) {
        return new GradientRequest(loss, Reduction.SUM, true, List.of(), parametersAsInputs, List.of());
    }
}
