package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.files.AtomicFiles;

/** The per-batch log: a resumed run keeps the lines before its position, and the file keeps the umask's mode. */
class BatchLogTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> record(int epoch, int batch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("batch", batch);
        m.put("lambda", 6.0);
        return m;
    }

    @Test
    void resumeKeepsEarlierLinesAndTheUmasksPermissions() throws Exception {
        Path file = tmp.resolve("train-batches.jsonl");
        try (BatchLog log = new BatchLog(file, -1, 0)) {
            for (int b = 1; b <= 4; b++) {
                log.append(record(1, b));
            }
        }
        // resumed at epoch 1 (from 0), batch 2: batches 3 and 4 of the killed run are dropped
        try (BatchLog log = new BatchLog(file, 0, 2)) {
            log.append(record(1, 3));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(List.of(1, 2, 3), lines.stream().map(l -> Integer.parseInt(
                l.replaceAll(".*\"batch\":(\\d+).*", "$1"))).toList());
        // the same permissions as any file widerobust writes (a fresh file under this process's umask)
        Path reference = tmp.resolve("reference");
        AtomicFiles.write(reference, new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(file));
    }
}
