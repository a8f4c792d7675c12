package org.widerobust.plugin.train;

/** A run directory cannot be used: not writable, locked by another run, or holding another run. One-line message. */
public class RunDirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunDirectoryException(String message) {
        super(message);
    }

    public RunDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
