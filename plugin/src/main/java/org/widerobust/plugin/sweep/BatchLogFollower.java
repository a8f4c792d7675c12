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
            return epochs * (double) batches == 0 ? 0
                    : ((epoch - 1) * (double) batches + batch) / ((double) epochs * batches);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "epoch %d/%d batch %d/%d", epoch, epochs, batch, batches);
        }
    }

    private final ScheduledExecutorService timer;

    /**
     * Starts following.
     *
     * @param log          the batch log (it may not exist yet)
     * @param periodMillis how often it is read
     * @param report       told the position whenever it changed
     */
    BatchLogFollower(Path log, long periodMillis, BiConsumer<Double, Position> report) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "widerobust-batch-log-follower");
            t.setDaemon(true);
            return t;
        });
        Position[] last = {null};
        timer.scheduleWithFixedDelay(() -> {
            Position p = lastPosition(log);
            if (p != null && !p.equals(last[0])) {
                last[0] = p;
                report.accept(p.share(), p);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The position of a batch log's last complete line; {@code null} if there is none yet or it has no
     * {@code epochs}/{@code batches} fields (a log of an older version).
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
            if (!j.path("epochs").isInt() || !j.path("batches").isInt()) {
                return null;
            }
            return new Position(j.path("epoch").asInt(), j.path("epochs").asInt(), j.path("batch").asInt(),
                    j.path("batches").asInt());
        } catch (IOException | RuntimeException e) {
            return null; // progress is best effort: a torn or unreadable line is read again at the next tick
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
