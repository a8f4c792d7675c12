package org.widerobust.descriptors.autodiff;

/**
 * One reason a network's input gradient cannot be built: a node on the path from the input to the logits whose
 * op has no gradient rule, whose shapes cannot be inferred, or that cannot be differentiated as exported.
 *
 * @param op     the ONNX op type
 * @param node   the node's name (or its first output when the node is unnamed)
 * @param reason why, in a few words
 */
public record Blocker(String op, String node, String reason) {
    @Override
    public String toString() {
        return op + " (node '" + node + "'): " + reason;
    }
}
