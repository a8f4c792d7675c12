package org.widerobust.plugin.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Follows a training run's per-batch log ({@code train-batches.jsonl}, written as each batch ends) from a daemon
 * thread, and reports how far the run's training is: the share of its batches done and where it is. This is how a
 * sweep shows progress inside a point, whose training runs with its output going to a log file.
 */
final class BatchLogFollower implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of the file's end is read to find its last line. */
    private static final int TAIL_BYTES = 4096;

    /** Where a run is: its last finished batch. */
    record Position(int epoch, int epochs, int batch, int batches) {
        /** The share of the run's training batches done, in [0, 1]. */
        double share() {
            double s = ((epoch - 1) * (double) batches + batch) / ((double) epochs * batches);
            return Math.min(1, Math.max(0, s));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "epoch %d/%d batch %d/%d", epoch, epochs, batch, batches);
        }
    }

    private final ScheduledExecutorService timer;
    private final Path log;
    private final BiConsumer<Double, Position> report;
    private Position last;

    /**
     * Starts following.
     *
     * @param log          the batch log (it may not exist yet)
     * @param periodMillis how often it is read
     * @param report       told the position whenever it changed
     */
    BatchLogFollower(Path log, long periodMillis, BiConsumer<Double, Position> report) {
        this.log = log;
        this.report = report;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "widerobust-batch-log-follower");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Reads the log and reports a new position; never throws, so the schedule is not cancelled. */
    private synchronized void poll() {
        try {
            Position p = lastPosition(log);
            if (p != null && !p.equals(last)) {
                last = p;
                report.accept(p.share(), p);
            }
        } catch (RuntimeException e) {
            // progress is best effort: a failing display must not stop the follower or the run
        }
    }

    /**
     * The position of a batch log's last complete line; {@code null} if there is none yet or it has no
     * {@code epochs}/{@code batches} fields (a log of an older version) or a field is not a positive integer.
     */
    static Position lastPosition(Path log) {
        if (!Files.isRegularFile(log)) {
            return null;
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, TAIL_BYTES);
            byte[] tail = new byte[n];
            f.seek(len - n);
            f.readFully(tail);
            String text = new String(tail, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n'); // a line being written has no newline yet
            if (end < 0) {
                return null;
            }
            String line = text.substring(text.lastIndexOf('\n', end - 1) + 1, end);
            JsonNode j = JSON.readTree(line);
            for (String field : new String[] {"epoch", "epochs", "batch", "batches"}) {
                if (!j.path(field).isInt() || j.path(field).asInt() < 1) {
                    return null;
                }
            }
            return new Position(j.path("epoch").asInt(), j.path("epochs").asInt(), j.path("batch").asInt(),
                    j.path("batches").asInt());
        } catch (IOException | RuntimeException e) {
            return null; // progress is best effort: a torn or unreadable line is read again at the next tick
        }
    }

    /** Stops following, after a last read on the calling thread (so the final position is always reported). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poll();
    }
}
