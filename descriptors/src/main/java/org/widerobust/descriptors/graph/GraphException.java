package org.widerobust.descriptors.graph;

/** A graph that cannot be built, inferred or differentiated; the message names the node and op. */
public class GraphException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GraphException(String message) {
        super(message);
    }

    public GraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
