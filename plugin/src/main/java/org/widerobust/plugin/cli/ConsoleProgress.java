package org.widerobust.plugin.cli;

import java.io.PrintStream;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.widerobust.plugin.eval.EvaluationListener;

/**
 * Progress on stderr: a progress bar with ETA ({@code me.tongfei:progressbar}) on a terminal, plain lines with
 * percentage and ETA every {@value #PLAIN_INTERVAL_MS} ms otherwise. Nothing is shown for work that ends within
 * {@value #QUIET_MS} ms.
 */
final class ConsoleProgress implements EvaluationListener {
    static final long QUIET_MS = 2000;
    static final long PLAIN_INTERVAL_MS = 10_000;

    private final String task;
    private final boolean terminal;
    private final PrintStream err;
    private ProgressBar bar;
    private long total;
    private long done;
    private long startNanos;
    private long lastLineNanos;
    private String what = "";

    ConsoleProgress(String task) {
        this(task, System.console() != null, System.err);
    }

    ConsoleProgress(String task, boolean terminal, PrintStream err) {
        this.task = task;
        this.terminal = terminal;
        this.err = err;
    }

    @Override
    public void started(long totalUnits) {
        total = totalUnits;
        startNanos = System.nanoTime();
        lastLineNanos = startNanos - (PLAIN_INTERVAL_MS - 5_000) * 1_000_000;
    }

    @Override
    public void advanced(long units, String what) {
        done += units;
        this.what = what;
        long now = System.nanoTime();
        long elapsedMs = (now - startNanos) / 1_000_000;
        if (elapsedMs < QUIET_MS) {
            return;
        }
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(500)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).startsFrom(0,
                                java.time.Duration.ofMillis(elapsedMs)).build();
            }
            bar.stepTo(done);
            bar.setExtraMessage(what);
        } else if ((now - lastLineNanos) / 1_000_000 >= PLAIN_INTERVAL_MS) {
            lastLineNanos = now;
            double f = total > 0 ? (double) done / total : 1;
            double eta = f > 0 ? elapsedMs / 1000.0 * (1 - f) / f : Double.NaN;
            err.printf(Locale.ROOT, "%s: %5.1f%% (%d/%d) %s, elapsed %.0f s, ETA %.0f s%n", task, 100 * f, done, total,
                    what, elapsedMs / 1000.0, eta);
        }
    }

    @Override
    public void finished() {
        if (bar != null) {
            bar.stepTo(done);
            bar.close();
            bar = null;
        }
    }
}
