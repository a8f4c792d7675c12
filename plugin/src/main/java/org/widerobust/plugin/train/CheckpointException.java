package org.widerobust.plugin.train;

/** A checkpoint cannot be read or written, or does not belong to the run resuming from it. */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean unusable;

    public CheckpointException(String message) {
        this(message, false);
    }

    /**
     * @param unusable whether the file itself cannot be used (truncated, corrupt, not a checkpoint), so that the run
     *                 can only start afresh
     */
    public CheckpointException(String message, boolean unusable) {
        super(message);
        this.unusable = unusable;
    }

    /** Whether the checkpoint file itself is unusable: the run cannot resume from it and must start afresh. */
    public boolean unusable() {
        return unusable;
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
        this.unusable = false;
    }
}
