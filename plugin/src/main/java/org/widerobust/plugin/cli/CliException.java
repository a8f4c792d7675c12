package org.widerobust.plugin.cli;

/** A user-facing error: bad arguments or unusable input. The message is printed as is, without a stack trace. */
public class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
