package org.widerobust.plugin.train;

import java.time.Duration;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A per-epoch progress bar on stderr with ETA, loss, clean/adversarial batch accuracy, λ and examples/s. */
final class TrainingProgress implements AutoCloseable {
    private final ProgressBar bar;

    TrainingProgress(boolean enabled, int epoch, int epochs, long total, long done) {
        this.bar = enabled ? new ProgressBarBuilder()
                .setTaskName("epoch " + (epoch + 1) + "/" + epochs)
                .setInitialMax(total)
                .setUnit(" ex", 1)
                .setUpdateIntervalMillis(500)
                .setMaxRenderedLength(160)
                .startsFrom(done, Duration.ZERO)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build() : null;
    }

    /** {@code adv} and {@code lambda} NaN when the method has none. */
    void update(long done, double loss, double clean, double adv, double examplesPerSecond, double lambda) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f%s clean %.3f%s %.0f ex/s", loss,
                    Double.isNaN(lambda) ? "" : String.format(Locale.ROOT, " λ %.3g", lambda), clean,
                    Double.isNaN(adv) ? "" : String.format(Locale.ROOT, " adv %.3f", adv), examplesPerSecond));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
