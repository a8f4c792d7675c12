package org.widerobust.plugin.model;

/** A model file or in-memory model that cannot be used: missing, corrupt, of the wrong kind, or not matching the data. */
public class ModelLoadException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
