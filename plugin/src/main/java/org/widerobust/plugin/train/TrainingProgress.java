package org.widerobust.plugin.train;

import java.util.Locale;

import org.widerobust.plugin.report.ProgressDisplay;

/**
 * Per-epoch progress on stderr with loss, λ, clean/adversarial batch accuracy, examples/s and the ETA of the whole
 * run's training (the display's own ETA is the epoch's): a bar on a terminal, plain periodic lines otherwise
 * ({@link ProgressDisplay}).
 */
final class TrainingProgress implements AutoCloseable {
    private final ProgressDisplay display;
    private final int epochsAfterThis;
    private final long total;

    TrainingProgress(boolean enabled, int epoch, int epochs, long total, long done) {
        this.display = enabled ? ProgressDisplay.onStderr("epoch " + (epoch + 1) + "/" + epochs, "ex", total, done)
                : null;
        this.epochsAfterThis = epochs - epoch - 1;
        this.total = total;
    }

    /** {@code adv} and {@code lambda} NaN when the method has none. */
    void update(long done, double loss, double clean, double adv, double examplesPerSecond, double lambda) {
        if (display != null) {
            double runEta = examplesPerSecond > 0
                    ? ((double) epochsAfterThis * total + (total - done)) / examplesPerSecond : Double.NaN;
            display.update(done, fields(loss, clean, adv, examplesPerSecond, lambda, runEta));
        }
    }

    /** The fields; {@code runEtaSeconds} is the training time left in the whole run (NaN: unknown yet). */
    static String fields(double loss, double clean, double adv, double examplesPerSecond, double lambda,
                         double runEtaSeconds) {
        return String.format(Locale.ROOT, "loss %.4f%s clean %.3f%s %.1f ex/s%s", loss,
                Double.isNaN(lambda) ? "" : String.format(Locale.ROOT, " λ %.3g", lambda), clean,
                Double.isNaN(adv) ? "" : String.format(Locale.ROOT, " adv %.3f", adv), examplesPerSecond,
                !Double.isFinite(runEtaSeconds) ? ""
                        : " run ETA " + ProgressDisplay.duration(runEtaSeconds));
    }

    @Override
    public void close() {
        if (display != null) {
            display.close();
        }
    }
}
