package org.widerobust.adapters.engine;

/** ONNX Runtime could not provide the requested device, compile a graph or run it. */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
