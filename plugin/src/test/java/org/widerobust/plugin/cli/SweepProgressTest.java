package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.plugin.sweep.PointCommands;
import org.widerobust.plugin.sweep.Shard;
import org.widerobust.plugin.sweep.SweepPlan;
import org.widerobust.plugin.sweep.SweepPoint;
import org.widerobust.plugin.sweep.SweepRunner;

/**
 * A study shows progress inside a point while it trains, as a scheduler's log (no terminal) sees it: a real sweep
 * point trained through the CLI, its batch log followed, the study's plain progress lines written.
 */
class SweepProgressTest {
    private static final Pattern WHERE = Pattern.compile("epoch (\\d)/2 batch (\\d+)/(\\d+)");

    @Test
    void theStudyMovesInsideATrainingPoint(@TempDir Path out) {
        SweepPlan plan = SweepPlan.of(List.of(0.25), List.of(1.0), null, 1, 1, false);
        PointCommands commands = new PointCommands("synthetic:400", "mlp", Map.of("--epochs", "2", "--steps", "2",
                "--batch", "20"), Map.of(), Map.of("--attack", "pgd", "--limit", "20", "--steps", "1"), Map.of("--device", "cpu", "--threads", "2"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ConsoleProgress plain = new ConsoleProgress("study", false, new PrintStream(log, true,
                StandardCharsets.UTF_8), 0, 0);
        List<Double> shares = new ArrayList<>();
        List<String> wheres = new ArrayList<>();
        SweepCommand.Progress bar = new SweepCommand.Progress(plain, 1, p -> 1000);
        SweepRunner.Listener recording = new SweepRunner.Listener() {
            @Override
            public void started(double totalCost, int toRun, int alreadyDone) {
                bar.started(totalCost, toRun, alreadyDone);
            }

            @Override
            public void pointStarted(SweepPoint p, String action) {
                bar.pointStarted(p, action);
            }

            @Override
            public void pointProgress(SweepPoint p, double trainedShare, String where) {
                shares.add(trainedShare);
                wheres.add(where);
                bar.pointProgress(p, trainedShare, where);
            }

            @Override
            public void pointEnded(SweepPoint p, String status, double cost) {
                bar.pointEnded(p, status, cost);
            }
        };
        SweepRunner.Outcome o = new SweepRunner(plan, commands, out, CliInvoker::run, p -> 1000, Map.of())
                .followPeriod(20).run(Shard.ALL, recording);
        assertEquals(List.of("k0.25-lambda1"), o.ran(), o.failed().toString());

        assertTrue(!shares.isEmpty(), "no progress was reported inside the point");
        for (int i = 0; i < shares.size(); i++) {
            assertTrue(shares.get(i) > 0 && shares.get(i) <= 1, shares.toString());
            assertTrue(i == 0 || shares.get(i) > shares.get(i - 1), "progress moves forward: " + shares);
            Matcher m = WHERE.matcher(wheres.get(i));
            assertTrue(m.matches(), wheres.get(i));
            // 400 examples in batches of 20, two epochs: the share is the batches done over 40
            int done = (Integer.parseInt(m.group(1)) - 1) * 20 + Integer.parseInt(m.group(2));
            assertEquals(20, Integer.parseInt(m.group(3)), wheres.get(i));
            assertEquals(done / 40.0, shares.get(i), 1e-12, wheres.get(i));
        }
        String lines = log.toString(StandardCharsets.UTF_8);
        assertTrue(lines.contains("k0.25-lambda1 epoch "), lines);
        assertTrue(lines.contains("study: 100.0% (1000/1000 units) k0.25-lambda1 done"), lines);
        assertTrue(!lines.contains("\r") && !lines.contains("\u001b["), "plain lines only");
    }
}
