package org.widerobust.plugin.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work on stderr, the one home of how progress looks. On a terminal: a progress bar with ETA
 * ({@code me.tongfei:progressbar}). Otherwise (a log file, a pipe, CI): plain lines, one every
 * {@code intervalMillis}, each with every field — task, percentage, count, the caller's fields, elapsed time and
 * ETA — without carriage returns, colour codes or a width limit. Nothing is shown for work that ends within
 * {@code quietMillis}.
 */
public final class ProgressDisplay implements AutoCloseable {
    /** Default delay before anything is shown. */
    public static final long QUIET_MS = 2000;
    /** Default period of plain lines. */
    public static final long PLAIN_INTERVAL_MS = 10_000;

    private final String task;
    private final String unit;
    private final long total;
    private final boolean terminal;
    private final PrintStream err;
    private final long quietMillis;
    private final long intervalMillis;
    private final long startNanos = System.nanoTime();
    private long initial;
    private long lastLineNanos;
    private ProgressBar bar;

    /**
     * @param task           the task's name, e.g. {@code epoch 2/10}
     * @param unit           the unit of the count, e.g. {@code ex}
     * @param total          units in all
     * @param initial        units already done (a resumed epoch)
     * @param terminal       whether {@code err} is a terminal (see {@link #stderrIsTerminal()})
     * @param err            where to write
     * @param quietMillis    nothing is shown before this much time has passed
     * @param intervalMillis the period of plain lines
     */
    public ProgressDisplay(String task, String unit, long total, long initial, boolean terminal, PrintStream err,
                           long quietMillis, long intervalMillis) {
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.initial = initial;
        this.terminal = terminal;
        this.err = err;
        this.quietMillis = quietMillis;
        this.intervalMillis = intervalMillis;
        this.lastLineNanos = startNanos - Math.max(0, intervalMillis - quietMillis) * 1_000_000;
    }

    /** On stderr, with the default delays. */
    public static ProgressDisplay onStderr(String task, String unit, long total, long initial) {
        return new ProgressDisplay(task, unit, total, initial, stderrIsTerminal(), System.err, QUIET_MS,
                PLAIN_INTERVAL_MS);
    }

    /**
     * Whether stderr is a terminal: on Linux, whether {@code /proc/self/fd/2} is a tty device; elsewhere, whether the
     * JVM has a console. {@code TERM=dumb} counts as no terminal.
     */
    public static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException e) {
                return System.console() != null;
            }
        }
        return System.console() != null;
    }

    /**
     * Counts {@code units} more as done before this display started (found after it started, e.g. a resumed point's
     * earlier training), so that the rate and ETA count only this run's work. On a terminal it takes effect if the
     * bar is not drawn yet (within the first {@code quietMillis}).
     */
    public void doneBefore(long units) {
        initial += units;
    }

    /** Reports {@code done} units so far and the caller's fields, e.g. {@code loss 0.52 clean 0.810}. */
    public void update(long done, String fields) {
        long now = System.nanoTime();
        long elapsedMs = (now - startNanos) / 1_000_000;
        if (elapsedMs < quietMillis) {
            return;
        }
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(500)
                        .setMaxRenderedLength(160).setConsumer(new ConsoleProgressBarConsumer(err))
                        .startsFrom(initial, Duration.ofMillis(elapsedMs)).build();
            }
            bar.stepTo(done);
            bar.setExtraMessage(fields);
        } else if ((now - lastLineNanos) / 1_000_000 >= intervalMillis) {
            lastLineNanos = now;
            err.println(plainLine(done, fields, elapsedMs));
        }
    }

    /** The plain form: every field on one line. */
    String plainLine(long done, String fields, long elapsedMs) {
        double f = total > 0 ? (double) done / total : 1;
        double rate = done > initial ? (done - initial) / Math.max(elapsedMs / 1000.0, 1e-9) : 0;
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        return String.format(Locale.ROOT, "%s: %5.1f%% (%d/%d %s)%s, elapsed %s, ETA %s", task, 100 * f, done, total,
                unit, fields == null || fields.isEmpty() ? "" : " " + fields, duration(elapsedMs / 1000.0),
                Double.isNaN(eta) ? "?" : duration(eta));
    }

    /** A duration as {@code m:ss}, or {@code h:mm:ss} from an hour up. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
