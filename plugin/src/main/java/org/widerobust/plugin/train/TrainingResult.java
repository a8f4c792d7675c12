package org.widerobust.plugin.train;

import java.util.List;

/**
 * The outcome of {@link AdversarialTrainer#trainDense}.
 *
 * @param model      the trained model
 * @param epochs     per-epoch summaries, including those completed before a resume
 * @param seconds    wall time of this invocation
 * @param examples   examples trained on in this invocation
 * @param device     the engine's device description
 * @param resumedFrom the checkpoint this run resumed from, or null
 * @param bestModel  the model of the epoch with the highest validation robust accuracy, or null without validation
 * @param bestEpoch  that epoch (from 1), 0 without validation
 * @param validationExamples examples held out for validation
 * @param legs       every leg of the run (the first start and each resume), this invocation last
 * @param parameterPass what the parameter-gradient pass computed ({@link ParameterPass#description()}), for example
 *                   {@code cross-entropy on x' (n rows; …)} for PGD at a fixed λ = 1 without batch norm
 */
public record TrainingResult(NetworkModel model, List<EpochSummary> epochs, double seconds, long examples,
                             String device, String resumedFrom, NetworkModel bestModel, int bestEpoch,
                             int validationExamples, List<TrainingLeg> legs, String parameterPass) {
    public TrainingResult {
        epochs = List.copyOf(epochs);
        legs = List.copyOf(legs);
    }

    /** Examples per second of this invocation. */
    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }
}
