package org.widerobust.plugin.train;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.widerobust.adapters.files.AtomicFiles;

/**
 * The per-batch trajectory as JSON lines (one object per batch with {@code epoch} of {@code epochs} and {@code batch}
 * of {@code batches} in the epoch, counted from 1, λ, ρ_t, both risk parts, the loss and the local Lipschitz proxy).
 * Each line is written as its batch ends, so the file also shows how far a run is ({@code widerobust sweep} follows
 * it); when a run resumes, lines past the checkpoint's position are dropped first, so the file of a resumed run
 * equals that of an uninterrupted one.
 */
final class BatchLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    /**
     * Opens the log.
     *
     * @param file        the file
     * @param resumeEpoch with {@code resumeBatch}, the position (from 0) of the next batch when resuming: earlier lines
     *                    are kept, later ones dropped; -1 to start a new file
     */
    BatchLog(Path file, int resumeEpoch, int resumeBatch) {
        try {
            Path abs = file.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            if (resumeEpoch >= 0 && Files.exists(abs)) {
                List<String> keep = new ArrayList<>();
                for (String line : Files.readAllLines(abs, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Map<?, ?> m;
                    try {
                        m = JSON.readValue(line, Map.class);
                    } catch (IOException e) {
                        break; // a torn last line of a killed run
                    }
                    int e = ((Number) m.get("epoch")).intValue() - 1;
                    int b = ((Number) m.get("batch")).intValue() - 1;
                    if (e < resumeEpoch || e == resumeEpoch && b < resumeBatch) {
                        keep.add(line);
                    }
                }
                StringBuilder kept = new StringBuilder();
                for (String line : keep) {
                    kept.append(line).append('\n');
                }
                // atomically, with the permissions the umask gives a new file (as every file widerobust writes)
                AtomicFiles.write(abs, kept.toString().getBytes(StandardCharsets.UTF_8));
                out = Files.newBufferedWriter(abs, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } else {
                out = Files.newBufferedWriter(abs, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends one batch's record (NaN values become null). */
    void append(Map<String, Object> record) {
        try {
            record.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
            out.write(JSON.writeValueAsString(record));
            out.write('\n');
            out.flush(); // one small write per batch (a batch takes >= milliseconds): progress can be followed
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch log: " + e.getMessage(), e);
        }
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch log: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch log: " + e.getMessage(), e);
        }
    }
}
