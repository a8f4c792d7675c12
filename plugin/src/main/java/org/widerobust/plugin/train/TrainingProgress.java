package org.widerobust.plugin.train;

import java.util.Locale;

import org.widerobust.plugin.report.ProgressDisplay;

/**
 * Per-epoch progress on stderr with loss, λ, clean/adversarial batch accuracy and examples/s: a bar on a terminal,
 * plain periodic lines otherwise ({@link ProgressDisplay}).
 */
final class TrainingProgress implements AutoCloseable {
    private final ProgressDisplay display;

    TrainingProgress(boolean enabled, int epoch, int epochs, long total, long done) {
        this.display = enabled ? ProgressDisplay.onStderr("epoch " + (epoch + 1) + "/" + epochs, "ex", total, done)
                : null;
    }

    /** {@code adv} and {@code lambda} NaN when the method has none. */
    void update(long done, double loss, double clean, double adv, double examplesPerSecond, double lambda) {
        if (display != null) {
            display.update(done, fields(loss, clean, adv, examplesPerSecond, lambda));
        }
    }

    static String fields(double loss, double clean, double adv, double examplesPerSecond, double lambda) {
        return String.format(Locale.ROOT, "loss %.4f%s clean %.3f%s %.1f ex/s", loss,
                Double.isNaN(lambda) ? "" : String.format(Locale.ROOT, " λ %.3g", lambda), clean,
                Double.isNaN(adv) ? "" : String.format(Locale.ROOT, " adv %.3f", adv), examplesPerSecond);
    }

    @Override
    public void close() {
        if (display != null) {
            display.close();
        }
    }
}
