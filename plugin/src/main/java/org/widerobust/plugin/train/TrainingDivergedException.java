package org.widerobust.plugin.train;

/**
 * The training loss, the logits, the adversarial examples or the weights became NaN or infinite; the message names
 * the epoch and batch (counted from 1) and the last good checkpoint.
 */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int batch;

    public TrainingDivergedException(int epoch, int batch, float loss, String lastCheckpoint) {
        super("training diverged: loss " + loss + " at epoch " + epoch + ", batch " + batch
                + (lastCheckpoint == null ? "" : "; the last good checkpoint is " + lastCheckpoint)
                + " (try a smaller learning rate)");
        this.epoch = epoch;
        this.batch = batch;
    }

    /**
     * A value other than the loss became NaN or infinite.
     *
     * @param what           what, e.g. "the logits" or "parameter 'conv1.weight'" and its value
     * @param epoch          the epoch, counted from 1
     * @param batch          the batch, counted from 1
     * @param lastCheckpoint the last good checkpoint, or null
     */
    public TrainingDivergedException(String what, int epoch, int batch, String lastCheckpoint) {
        super("training diverged: " + what + " at epoch " + epoch + ", batch " + batch
                + (lastCheckpoint == null ? "" : "; the last good checkpoint is " + lastCheckpoint)
                + " (try a smaller learning rate)");
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The epoch, counted from 1. */
    public int epoch() {
        return epoch;
    }

    /** The batch within the epoch, counted from 1. */
    public int batch() {
        return batch;
    }
}
