package org.widerobust.plugin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widerobust.plugin.train.ProcessLock;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's ordering rules with a recording invoker in place of the CLI (the collaborator beside the point: the
 * real train/evaluate path is tested end to end in {@code SweepCommandTest}).
 */
class SweepRunnerTest {
    private static final SweepRunner.Listener SILENT = new SweepRunner.Listener() {
        @Override
        public void started(double totalCost, int toRun, int alreadyDone) {}

        @Override
        public void pointStarted(SweepPoint p, String action) {}

        @Override
        public void pointEnded(SweepPoint p, String status, double cost) {}
    };

    @Test
    void aWarPointWaitsForItsReferenceAndIsBlockedWhenItFails(@TempDir Path out) {
        SweepPlan plan = SweepPlan.of(List.of(1.0, 2.0), List.of(6.0), "ratio", 1, 6, false);
        PointCommands commands = new PointCommands("synthetic:10", "mlp", Map.of(), Map.of(), Map.of(), Map.of());
        List<String> calls = new ArrayList<>();
        SweepRunner.Invoker failingTrain = (args, log) -> {
            calls.add(String.join(" ", args));
            return 1; // every training fails, the reference k1-lambda6 among them
        };
        SweepRunner.Outcome o = new SweepRunner(plan, commands, out, failingTrain, p -> 1, Map.of())
                .run(Shard.ALL, SILENT);
        // the fixed points were tried; no WAR point was ever started, since its reference never finished
        assertEquals(2, calls.size(), calls.toString());
        assertTrue(calls.stream().noneMatch(c -> c.contains("--war")), calls.toString());
        assertTrue(o.failed().stream().anyMatch(f -> f.startsWith("k2-war-ratio (blocked")), o.failed().toString());
        assertTrue(o.failed().stream().anyMatch(f -> f.startsWith("k1-war-ratio (blocked")), o.failed().toString());
        assertTrue(o.table().points().isEmpty());
    }

    @Test
    void aPointAnotherSweepIsRunningIsLeftAlone(@TempDir Path out) throws Exception {
        SweepPlan plan = SweepPlan.of(List.of(1.0), List.of(1.0, 6.0), null, 1, 6, false);
        PointCommands commands = new PointCommands("synthetic:10", "mlp", Map.of(), Map.of(), Map.of(), Map.of());
        List<String> calls = new ArrayList<>();
        SweepRunner.Invoker recording = (args, log) -> {
            calls.add(String.join(" ", args));
            return 1;
        };
        SweepRunner runner = new SweepRunner(plan, commands, out, recording, p -> 1, Map.of());
        SweepPoint held = plan.find("k1-lambda6");
        Path inProgress = java.nio.file.Files.createDirectories(runner.pointDir(held)).resolve("train-batches.jsonl");
        java.nio.file.Files.writeString(inProgress, "{}\n");
        try (ProcessLock other = ProcessLock.tryAcquire(SweepRunner.pointLockFile(out, held))) {
            assertTrue(other != null);
            SweepRunner.Outcome o = runner.run(Shard.ALL, SILENT);
            assertTrue(calls.stream().noneMatch(c -> c.contains("--lambda 6")), calls.toString());
            assertTrue(o.failed().stream().anyMatch(f -> f.startsWith("k1-lambda6 (busy: another sweep is running it "
                    + "(pid " + ProcessHandle.current().pid())), o.failed().toString());
            assertTrue(java.nio.file.Files.exists(inProgress), "the other sweep's files are kept");
        }
        try (ProcessLock again = ProcessLock.tryAcquire(SweepRunner.pointLockFile(out, held))) {
            assertTrue(again != null, "released with its holder");
        }
    }

    @Test
    void aNaturalPointTrainsWithoutLambda(@TempDir Path out) {
        SweepPlan plan = SweepPlan.of(List.of(1.0), List.of(1.0), null, 1, 1, false);
        PointCommands natural = new PointCommands("synthetic:10", "mlp", Map.of("--method", "natural"), Map.of(),
                Map.of(), Map.of());
        List<String> a = natural.train(plan.find("k1-lambda1"), out.resolve("points/k1-lambda1"), null, false);
        assertTrue(!a.contains("--lambda") && a.contains("natural"), a.toString());
        PointCommands trades = new PointCommands("synthetic:10", "mlp", Map.of(), Map.of(), Map.of(), Map.of());
        assertTrue(trades.train(plan.find("k1-lambda1"), out, null, false).contains("--lambda"));
    }

    @Test
    void warPointsTrainWithTheReferenceModel(@TempDir Path out) {
        SweepPlan plan = SweepPlan.of(List.of(1.0, 2.0), List.of(6.0), "ratio", 1, 6, false);
        PointCommands commands = new PointCommands("synthetic:10", "mlp", Map.of("--epochs", "1"), Map.of(
                "--war-gamma", "0.5"), Map.of("--attack", "pgd"), Map.of("--threads", "2"));
        SweepPoint war = plan.find("k2-war-ratio");
        List<String> a = commands.train(war, out.resolve("points/k2-war-ratio"),
                out.resolve("points/k1-lambda6/model.tribuo"), false);
        String line = String.join(" ", a);
        assertTrue(line.startsWith("train --arch mlp --width 2 --data synthetic:10 --lambda 6 --epochs 1 --war ratio "
                + "--war-reference " + out.resolve("points/k1-lambda6/model.tribuo") + " --war-gamma 0.5"), line);
        assertFalse(String.join(" ", commands.train(plan.find("k2-lambda6"), out, null, false)).contains("--war"));
        // device and threads do not change what a point is
        PointCommands other = new PointCommands("synthetic:10", "mlp", Map.of("--epochs", "1"), Map.of(
                "--war-gamma", "0.5"), Map.of("--attack", "pgd"), Map.of("--threads", "1", "--device", "cpu"));
        assertEquals(commands.fingerprint(war), other.fingerprint(war));
        assertTrue(commands.train(war, out, null, true).contains("--resume"));
    }

    @Test
    void aKilledPointResumesOnlyFromACheckpointFile(@TempDir Path out) throws Exception {
        SweepPlan plan = SweepPlan.of(List.of(1.0, 2.0), List.of(6.0), null, 1, 6, false);
        PointCommands commands = new PointCommands("synthetic:10", "mlp", Map.of(), Map.of(), Map.of(), Map.of());
        // k1: killed before its first checkpoint (an empty checkpoint directory, a stray file): trained afresh
        Path k1 = out.resolve("points").resolve("k1-lambda6");
        java.nio.file.Files.createDirectories(k1.resolve("checkpoints"));
        java.nio.file.Files.writeString(k1.resolve("model.onnx"), "half");
        // k2: killed after a checkpoint: resumed
        Path k2 = out.resolve("points").resolve("k2-lambda6");
        java.nio.file.Files.createDirectories(k2.resolve("checkpoints"));
        java.nio.file.Files.writeString(k2.resolve("checkpoints").resolve(
                org.widerobust.plugin.train.Checkpoint.FILE), "state");
        // its batch log says 3 of its 2 x 4 batches were done: the study's ETA must not count them as this run's
        java.nio.file.Files.writeString(k2.resolve(org.widerobust.plugin.train.RunDirectory.BATCH_LOG),
                "{\"epoch\":1,\"epochs\":2,\"batch\":3,\"batches\":4}\n");
        List<String> resumed = new ArrayList<>();
        SweepRunner.Listener recording = new SweepRunner.Listener() {
            @Override
            public void started(double totalCost, int toRun, int alreadyDone) {}

            @Override
            public void pointStarted(SweepPoint p, String action) {}

            @Override
            public void pointResumed(SweepPoint p, double trainedShare) {
                resumed.add(p.id() + " " + trainedShare);
            }

            @Override
            public void pointEnded(SweepPoint p, String status, double cost) {}
        };
        List<String> calls = new ArrayList<>();
        new SweepRunner(plan, commands, out, (args, log) -> {
            calls.add(String.join(" ", args));
            return 1;
        }, p -> 1, Map.of()).run(Shard.ALL, recording);
        assertEquals(List.of("k2-lambda6 0.375"), resumed);
        assertEquals(2, calls.size(), calls.toString());
        assertFalse(calls.get(0).contains("--resume"), calls.get(0));
        assertFalse(java.nio.file.Files.exists(k1.resolve("model.onnx")), "the half-made run was cleared");
        assertTrue(calls.get(1).endsWith("--resume"), calls.get(1));
    }
}
