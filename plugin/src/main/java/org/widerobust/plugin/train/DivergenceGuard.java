package org.widerobust.plugin.train;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.widerobust.adapters.network.SgdMomentum;

/**
 * Stops a diverging run before a non-finite value reaches the next graph run (where NaN activations would turn
 * MaxPool indices into garbage and ONNX Runtime would fail inside MaxUnpool), so that every family ends with the same
 * {@link TrainingDivergedException} and the last checkpoint holds finite weights; and warns once when the loss
 * explodes without becoming NaN.
 */
final class DivergenceGuard {
    /** A batch loss this many times the run's first batch loss is called exploding. */
    static final double EXPLODING_FACTOR = 1000;

    private final TrainingListener listener;
    private double firstLoss = Double.NaN;
    private boolean warned;

    DivergenceGuard(TrainingListener listener) {
        this.listener = listener;
    }

    /** Throws if any of {@code values[0, n)} is NaN or infinite; {@code what} names them. */
    static void requireFinite(float[] values, int n, String what, int epoch, int batch, String lastGood) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(values[i])) {
                throw new TrainingDivergedException(what + " became " + values[i], epoch + 1, batch + 1, lastGood);
            }
        }
    }

    /** Throws if the loss is not finite; warns once if it exceeds {@link #EXPLODING_FACTOR} × the first loss. */
    void checkLoss(float loss, int epoch, int batch, String lastGood) {
        if (!Float.isFinite(loss)) {
            throw new TrainingDivergedException(epoch + 1, batch + 1, loss, lastGood);
        }
        if (Double.isNaN(firstLoss)) {
            firstLoss = Math.max(Math.abs(loss), 1e-3);
        } else if (!warned && Math.abs(loss) > EXPLODING_FACTOR * firstLoss) {
            warned = true;
            listener.warning(String.format(Locale.ROOT, "the training loss is exploding: %.4g at epoch %d, batch %d, "
                    + "more than %.0f times the first batch's %.4g; training is probably diverging (try a smaller "
                    + "learning rate)", loss, epoch + 1, batch + 1, EXPLODING_FACTOR, firstLoss));
        }
    }

    /** The optimiser's velocity buffers by parameter name, for {@link #requireFinite(Map, String, int, int, String)}. */
    static Map<String, FloatBuffer> velocities(SgdMomentum sgd, List<String> parameters) {
        Map<String, FloatBuffer> m = new LinkedHashMap<>();
        for (String p : parameters) {
            m.put(p, sgd.velocity(p));
        }
        return m;
    }

    /** Throws if a tensor (weights, running statistics, optimiser velocity) holds NaN or infinity. */
    static void requireFinite(Map<String, FloatBuffer> tensors, String what, int epoch, int batch, String lastGood) {
        for (var e : tensors.entrySet()) {
            FloatBuffer b = e.getValue();
            for (int i = 0, n = b.capacity(); i < n; i++) {
                float v = b.get(i);
                if (!Float.isFinite(v)) {
                    throw new TrainingDivergedException(what + " '" + e.getKey() + "' became " + v, epoch + 1,
                            batch + 1, lastGood);
                }
            }
        }
    }
}
