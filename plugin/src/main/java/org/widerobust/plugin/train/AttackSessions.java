package org.widerobust.plugin.train;

import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.adapters.network.ParameterStore;

/**
 * The sessions that a training step's inner attack (PGD, TRADES' KL ascent) runs on, chosen by device.
 * <ul>
 *   <li>{@link Plan#SNAPSHOT_PER_STEP} (CPU): the weights do not change between a step's attack and its update, so
 *   each step compiles a session with the current weights as constants. ONNX Runtime's CPU provider then runs the
 *   convolutions in its blocked (NCHWc) layout with prepacked weights, 25–35% faster than reading the weights at
 *   every run, which pays for one session per step.</li>
 *   <li>{@link Plan#LIVE_WEIGHTS} (CUDA): one session for the whole run reads the weights from the
 *   {@link ParameterStore} at every run. On CUDA a per-step session would upload every weight again and redo cuDNN's
 *   convolution algorithm search at every step; the Java API has no IO binding, so live weights cross the bus at
 *   each run instead, which {@code docs/gpu.md} counts and prices.</li>
 * </ul>
 * Both plans compute the same adversarial examples up to float rounding. Not thread-safe.
 */
final class AttackSessions implements AutoCloseable {

    /** How attack sessions are created during training. */
    enum Plan {
        /** A constant-weight session per step (the CPU plan). */
        SNAPSHOT_PER_STEP,
        /** One live-weights session per run (the CUDA plan). */
        LIVE_WEIGHTS;

        /** The plan for an engine: live weights on CUDA, a snapshot per step otherwise. */
        static Plan forEngine(Engine engine) {
            return forDevice(engine.usesCuda());
        }

        /** The plan for a device kind: live weights when {@code cuda}, a snapshot per step otherwise. */
        static Plan forDevice(boolean cuda) {
            return cuda ? LIVE_WEIGHTS : SNAPSHOT_PER_STEP;
        }
    }

    private final Plan plan;
    private final Engine engine;
    private final ParameterStore weights;
    private NetworkSession live;
    private NetworkSession current;

    /**
     * @param plan    how sessions are created
     * @param engine  the engine that compiles them
     * @param weights the inference-form weights the attack reads (parameters and running statistics)
     */
    AttackSessions(Plan plan, Engine engine, ParameterStore weights) {
        this.plan = plan;
        this.engine = engine;
        this.weights = weights;
    }

    Plan plan() {
        return plan;
    }

    /**
     * The session for the current step, over the weights as they are now. Call {@link #endStep()} before the
     * weights change.
     */
    NetworkSession beginStep() {
        if (current != null) {
            throw new IllegalStateException("the previous step's attack session is still open");
        }
        current = switch (plan) {
            case SNAPSHOT_PER_STEP -> NetworkSession.snapshot(engine, weights);
            case LIVE_WEIGHTS -> {
                if (live == null) {
                    live = new NetworkSession(engine, weights.network(), weights);
                }
                yield live;
            }
        };
        return current;
    }

    /** Ends the current step: a snapshot session is closed, a live one kept for the next step. */
    void endStep() {
        if (current != null && current != live) {
            current.close();
        }
        current = null;
    }

    @Override
    public void close() {
        endStep();
        if (live != null) {
            live.close();
            live = null;
        }
    }
}
