package org.widerobust.plugin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading where a run is from the end of its batch log, including a line still being written. */
class BatchLogFollowerTest {
    @Test
    void theLastCompleteLineGivesThePosition(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("train-batches.jsonl");
        assertNull(BatchLogFollower.lastPosition(log), "no log yet");
        StringBuilder b = new StringBuilder();
        for (int e = 1; e <= 2; e++) {
            for (int i = 1; i <= 300; i++) { // longer than the tail that is read
                b.append("{\"epoch\":").append(e).append(",\"epochs\":3,\"batch\":").append(i)
                        .append(",\"batches\":300,\"lambda\":6.0,\"ratio\":0.05}\n");
            }
        }
        Files.writeString(log, b + "{\"epoch\":3,\"epochs\":3,\"ba");
        BatchLogFollower.Position p = BatchLogFollower.lastPosition(log);
        assertEquals(new BatchLogFollower.Position(2, 3, 300, 300), p, "a torn last line is not read");
        assertEquals(2 / 3.0, p.share(), 1e-12);
        assertEquals("epoch 2/3 batch 300/300", p.toString());
        Files.writeString(log, "{\"epoch\":1,\"batch\":1}\n");
        assertNull(BatchLogFollower.lastPosition(log), "a log without totals shows no progress");
    }
}
