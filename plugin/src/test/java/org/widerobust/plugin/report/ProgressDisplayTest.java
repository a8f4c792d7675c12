package org.widerobust.plugin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Progress in a log: plain lines with every field, no carriage returns, colour codes or width limit. */
class ProgressDisplayTest {
    @Test
    void plainLinesCarryEveryFieldWhenNotOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String fields = "loss 2.3026 clean 0.125 adv 0.094 61.4 ex/s and a long tail that passes eighty columns";
        try (ProgressDisplay d = new ProgressDisplay("epoch 2/10", "ex", 256, 64, false, err, 0, 0)) {
            d.update(128, fields);
            d.update(192, fields);
        }
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("\r") || log.contains("\u001b"), log);
        assertEquals(2, log.lines().count(), log);
        String first = log.lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("epoch 2/10:  50.0% (128/256 ex) " + fields + ", elapsed "), first);
        assertTrue(first.contains(", ETA "), first);
        assertTrue(first.length() > 80);
    }

    @Test
    void nothingIsShownWithinTheQuietPeriod() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressDisplay d = new ProgressDisplay("t", "ex", 10, 0, false, err, 60_000, 0)) {
            d.update(5, "x");
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * A field report: a resumed study showed "16.2% ... elapsed 0:02, ETA 0:11" because the resumed point's earlier
     * training counted as this run's. Work done before is left out of the rate.
     */
    @Test
    void workDoneBeforeThisRunDoesNotShortenTheEta() {
        ProgressDisplay d = new ProgressDisplay("study", "units", 1000, 0, false, System.err, 0, 0);
        // 600 units in 10 s: at face value 400 more take 6.7 s; of the 600, 500 were done before, so 400 take 40 s
        assertTrue(d.plainLine(600, "", 10_000).endsWith("ETA 0:07"), d.plainLine(600, "", 10_000));
        d.doneBefore(500);
        assertTrue(d.plainLine(600, "", 10_000).endsWith("ETA 0:40"), d.plainLine(600, "", 10_000));
    }
}
