package org.widerobust.plugin.train;

import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.adapters.network.ParameterStore;
import org.widerobust.descriptors.network.Network;

/**
 * The sessions that a training step's inner attack (PGD, TRADES' KL ascent) runs on, chosen by device and network.
 * <ul>
 *   <li>{@link Plan#SNAPSHOT_PER_STEP} (CPU, networks with convolutions): the weights do not change between a step's
 *   attack and its update, so each step compiles a session with the current weights as constants. ONNX Runtime's
 *   CPU provider then runs the convolutions in its blocked (NCHWc) layout with prepacked weights, 25–35% faster than
 *   reading the weights at every run, which pays for one session per step.</li>
 *   <li>{@link Plan#LIVE_WEIGHTS} (CUDA, and the CPU for networks without convolutions): one session for the whole
 *   run reads the weights from the {@link ParameterStore} at every run. On CUDA a per-step session would upload
 *   every weight again and redo cuDNN's convolution algorithm search at every step; the Java API has no IO binding,
 *   so live weights cross the bus at each run instead, which {@code docs/gpu.md} counts and prices. On the CPU a
 *   network without convolutions has no blocked layout to gain, and a session per step cost an MLP more than it
 *   saved (mlp k = 1: PGD-10 step about 30% faster and half the resident memory on live weights, docs/benchmarks.md).
 *   </li>
 * </ul>
 * Both plans compute the same adversarial examples up to float rounding. Not thread-safe.
 */
public final class AttackSessions implements AutoCloseable {

    /** How attack sessions are created during training. */
    public enum Plan {
        /** A constant-weight session per step (the CPU plan for networks with convolutions). */
        SNAPSHOT_PER_STEP,
        /** One live-weights session per run (the CUDA plan, and the CPU plan for networks without convolutions). */
        LIVE_WEIGHTS;

        /** The plan for a network on an engine ({@link #forDevice}). */
        public static Plan forEngine(Engine engine, Network network) {
            return forDevice(engine.usesCuda(), hasConvolutions(network));
        }

        /**
         * The plan for a device kind and network: live weights on CUDA or for a network without convolutions, a
         * snapshot per step otherwise.
         */
        public static Plan forDevice(boolean cuda, boolean convolutions) {
            return cuda || !convolutions ? LIVE_WEIGHTS : SNAPSHOT_PER_STEP;
        }

        /** Whether the network's graph has a convolution (Conv or ConvTranspose). */
        static boolean hasConvolutions(Network network) {
            return network.model().getGraph().getNodeList().stream()
                    .anyMatch(n -> n.getOpType().equals("Conv") || n.getOpType().equals("ConvTranspose"));
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
    public AttackSessions(Plan plan, Engine engine, ParameterStore weights) {
        this.plan = plan;
        this.engine = engine;
        this.weights = weights;
    }

    public Plan plan() {
        return plan;
    }

    /**
     * The session for the current step, over the weights as they are now. Call {@link #endStep()} before the
     * weights change.
     */
    public NetworkSession beginStep() {
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
    public void endStep() {
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
