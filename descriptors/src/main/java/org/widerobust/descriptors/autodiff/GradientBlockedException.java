package org.widerobust.descriptors.autodiff;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.widerobust.descriptors.graph.GraphException;

/**
 * The gradient graph of a network cannot be built; {@link #blockers()} lists every reason found in one pass, and
 * the message names them all on one line (the missing op types first).
 */
public final class GradientBlockedException extends GraphException {
    private static final long serialVersionUID = 1L;

    private final transient List<Blocker> blockers;

    public GradientBlockedException(String network, List<Blocker> blockers) {
        super(message(network, blockers));
        this.blockers = List.copyOf(blockers);
    }

    /** Every blocker, in graph order. */
    public List<Blocker> blockers() {
        return blockers;
    }

    /** The op types of the blockers, without repeats. */
    public static Set<String> ops(List<Blocker> blockers) {
        Set<String> ops = new LinkedHashSet<>();
        for (Blocker b : blockers) {
            ops.add(b.op());
        }
        return ops;
    }

    /** {@code cannot differentiate NET: 2 blockers (ops Resize, CumSum): Resize (node 'a'): ...; ...}. */
    public static String message(String network, List<Blocker> blockers) {
        StringBuilder b = new StringBuilder("cannot differentiate ").append(network).append(": ")
                .append(blockers.size()).append(blockers.size() == 1 ? " blocker" : " blockers")
                .append(" (ops ").append(String.join(", ", ops(blockers))).append("): ");
        for (int i = 0; i < blockers.size(); i++) {
            b.append(i > 0 ? "; " : "").append(blockers.get(i));
        }
        return b.toString();
    }
}
