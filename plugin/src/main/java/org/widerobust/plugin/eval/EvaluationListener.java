package org.widerobust.plugin.eval;

/** Progress of an evaluation, in work units (one unit = one example through one attack or check). */
public interface EvaluationListener {
    /** A listener that ignores everything. */
    EvaluationListener NONE = new EvaluationListener() { };

    /** Called once before the work starts. */
    default void started(long totalUnits) { }

    /** Called when {@code units} more units are done; {@code what} names the current step. */
    default void advanced(long units, String what) { }

    /** Called once when the work is over (also after a failure). */
    default void finished() { }
}
