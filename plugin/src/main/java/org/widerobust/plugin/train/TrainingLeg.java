package org.widerobust.plugin.train;

/**
 * One process's share of a training run: the first start, or one resume. A run killed and resumed twice has three
 * legs; the checkpoint carries the earlier legs, so the report of the last one covers them all.
 *
 * @param leg        the leg, counted from 1
 * @param startedAt  when it started (ISO-8601, UTC)
 * @param device     the engine's device description
 * @param fromEpoch  the epoch it started at, counted from 1
 * @param fromBatch  the batch of that epoch it started at, counted from 1
 * @param examples   examples it trained on (up to its last checkpoint for a killed leg)
 * @param seconds    its wall time (up to its last checkpoint for a killed leg)
 */
public record TrainingLeg(int leg, String startedAt, String device, int fromEpoch, int fromBatch, long examples,
                          double seconds) {
    /** Examples per second. */
    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }
}
