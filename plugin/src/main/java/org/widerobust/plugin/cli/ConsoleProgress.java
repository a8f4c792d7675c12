package org.widerobust.plugin.cli;

import java.io.PrintStream;

import org.widerobust.plugin.eval.EvaluationListener;
import org.widerobust.plugin.report.ProgressDisplay;

/**
 * Evaluation progress on stderr through {@link ProgressDisplay}: a progress bar with ETA on a terminal, plain lines
 * with every field every {@value ProgressDisplay#PLAIN_INTERVAL_MS} ms otherwise. Nothing is shown for work that
 * ends within {@value ProgressDisplay#QUIET_MS} ms.
 */
final class ConsoleProgress implements EvaluationListener {
    private final String task;
    private final boolean terminal;
    private final PrintStream err;
    private final long quietMillis;
    private final long intervalMillis;
    private ProgressDisplay display;
    private long done;

    ConsoleProgress(String task) {
        this(task, ProgressDisplay.stderrIsTerminal(), System.err, ProgressDisplay.QUIET_MS,
                ProgressDisplay.PLAIN_INTERVAL_MS);
    }

    ConsoleProgress(String task, boolean terminal, PrintStream err, long quietMillis, long intervalMillis) {
        this.task = task;
        this.terminal = terminal;
        this.err = err;
        this.quietMillis = quietMillis;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void started(long totalUnits) {
        done = 0;
        display = new ProgressDisplay(task, "units", totalUnits, 0, terminal, err, quietMillis, intervalMillis);
    }

    @Override
    public void advanced(long units, String what) {
        done += units;
        if (display != null) {
            display.update(done, what);
        }
    }

    /** Counts units as done before this run (a resumed point's earlier training): they do not speed up the ETA. */
    void doneBefore(long units) {
        if (display != null) {
            display.doneBefore(units);
        }
    }

    /** Reports an absolute count of units done (for work that can also move back, e.g. a resumed point). */
    void at(long units, String what) {
        done = units;
        if (display != null) {
            display.update(done, what);
        }
    }

    @Override
    public void finished() {
        if (display != null) {
            display.close();
            display = null;
        }
    }
}
