package org.widerobust.plugin.train;

/** A checkpoint cannot be read or written, or does not belong to the run resuming from it. */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
