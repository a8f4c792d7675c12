package org.widerobust.plugin.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.widerobust.plugin.report.JsonReports;
import org.widerobust.plugin.train.Checkpoint;
import org.widerobust.plugin.train.ProcessLock;
import org.widerobust.plugin.train.RunDirectory;

/**
 * Runs a shard of a study: trains and evaluates each point through the {@code train} and {@code evaluate} commands
 * ({@link PointCommands}), in plan order, and writes the results table. Layout of {@code out}:
 * {@code points/<id>/} (the run's files and {@code point.json}, the finished row), {@code logs/<id>.log} (what the
 * commands printed) and {@code results.json}/{@code results.csv} (every finished point of the plan found in
 * {@code out}, so shards may share one directory or use their own).
 * <p>
 * Nothing is done twice: a point with {@code point.json} is skipped (if its settings are unchanged); a point whose
 * training finished is only evaluated; a point killed during training resumes from its checkpoints with
 * {@code --resume}. A failed point is reported and the others still run; a WAR point whose reference failed is
 * {@code blocked}. The results table is rewritten after every finished point, so {@code report} works on a study that
 * is still running or was killed. Each point is trained and evaluated under its {@link ProcessLock}
 * ({@code locks/POINT.lock}), so two sweeps into one directory never run the same point: the second reports it
 * {@code busy} and leaves its files alone.
 */
public final class SweepRunner {
    /** How often, by default, a training point's batch log is read for progress. */
    public static final long FOLLOW_PERIOD_MS = 2000;
    /** The finished row of a point, inside its directory. */
    public static final String POINT_JSON = "point.json";

    /** Runs one command of the CLI (the verb first), its output going to {@code log}; returns the exit code. */
    @FunctionalInterface
    public interface Invoker {
        int run(List<String> args, Path log) throws Exception;
    }

    /** Progress of a sweep, in units of the cost function. */
    public interface Listener {
        /** Before the first point: the total cost of the points to run, and how many were already done. */
        void started(double totalCost, int toRun, int alreadyDone);

        /** A point starts (what it does: train, resume or evaluate). */
        void pointStarted(SweepPoint p, String action);

        /**
         * While a point trains, whenever its training moved on: the share of its training batches done (0 to 1) and
         * where it is, e.g. {@code epoch 1/2 batch 12/55}. Called from a follower thread while the point trains, and
         * once more from the runner's thread when its training ends, before {@link #pointEnded}.
         */
        default void pointProgress(SweepPoint p, double trainedShare, String where) {}

        /**
         * A point resumes with this share of its training batches (0 to 1) done by an earlier run, before its
         * training reports any progress: work that took no time in this run, which an ETA must not count.
         */
        default void pointResumed(SweepPoint p, double trainedShare) {}

        /** A point ended as {@code done}, {@code failed} or {@code blocked}; {@code cost} is its share. */
        void pointEnded(SweepPoint p, String status, double cost);
    }

    /**
     * What a run of a shard did.
     *
     * @param table   the results table written (all finished points of the plan in {@code out})
     * @param ran     the points trained or evaluated now
     * @param skipped the points already finished
     * @param failed  the points that failed or were blocked, with the reason
     */
    public record Outcome(ResultsTable table, List<String> ran, List<String> skipped, List<String> failed) {}

    private final SweepPlan plan;
    private final PointCommands commands;
    private final Path out;
    private final Invoker invoker;
    private final ToDoubleFunction<SweepPoint> cost;
    private final Map<String, Object> study;
    private long followPeriodMillis = FOLLOW_PERIOD_MS;

    /**
     * @param study the study's settings, stored in the results table (the {@code fingerprint} of every point is
     *              added)
     */
    public SweepRunner(SweepPlan plan, PointCommands commands, Path out, Invoker invoker,
                       ToDoubleFunction<SweepPoint> cost, Map<String, Object> study) {
        this.plan = plan;
        this.commands = commands;
        this.out = out;
        this.invoker = invoker;
        this.cost = cost;
        this.study = new LinkedHashMap<>(study);
        Map<String, String> fingerprints = new LinkedHashMap<>();
        plan.points().forEach(p -> fingerprints.put(p.id(), commands.fingerprint(p)));
        this.study.put("points", fingerprints);
    }

    /** How often a training point's batch log is read for {@link Listener#pointProgress} (default 2 s). */
    public SweepRunner followPeriod(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("the follow period must be >= 1 ms, got " + millis);
        }
        this.followPeriodMillis = millis;
        return this;
    }

    /** A point's directory. */
    public Path pointDir(SweepPoint p) {
        return out.resolve("points").resolve(p.id());
    }

    /** The lock file of a point in a study directory: {@code locks/POINT.lock}. */
    static Path pointLockFile(Path study, SweepPoint p) {
        return study.resolve("locks").resolve(p.id() + ".lock");
    }

    /**
     * Checks, before any work, that a study already in {@code out} planned no point this plan lacks or sets
     * otherwise (its rows would drop out of the rewritten results), and that every finished point of the shard was
     * made with today's settings.
     *
     * @throws IllegalStateException naming the point, and the directory to remove or to use instead
     */
    public void checkFinishedPoints(Shard shard) {
        // a study already in out: every point it planned must be in this plan with the same settings, or its rows
        // would drop out of the results table this sweep rewrites
        if (Files.isRegularFile(out.resolve(ResultsTable.JSON))
                && ResultsTable.read(out).study().get("points") instanceof Map<?, ?> planned) {
            for (Map.Entry<?, ?> e : planned.entrySet()) {
                SweepPoint p = plan.find(e.getKey().toString());
                if (p == null || !commands.fingerprint(p).equals(String.valueOf(e.getValue()))) {
                    throw new IllegalStateException(out + " holds a study that planned " + e.getKey()
                            + (p == null ? ", which this sweep does not plan" : " with other settings (" + e.getValue()
                            + ")") + "; its results would be dropped: use another --out");
                }
            }
        }
        for (SweepPoint p : plan.shard(shard, cost)) {
            JsonNode done = finished(p);
            if (done != null && !commands.fingerprint(p).equals(done.path("fingerprint").asText())) {
                throw new IllegalStateException("point " + p.id() + " in " + out + " was run with other settings ("
                        + done.path("fingerprint").asText() + "); use another --out or remove " + pointDir(p));
            }
        }
    }

    /** Runs the shard's points and writes the results table. */
    public Outcome run(Shard shard, Listener listener) {
        checkFinishedPoints(shard);
        List<SweepPoint> mine = plan.shard(shard, cost);
        List<String> ran = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<SweepPoint> todo = new ArrayList<>();
        for (SweepPoint p : mine) {
            if (finished(p) != null) {
                skipped.add(p.id());
            } else {
                todo.add(p);
            }
        }
        listener.started(todo.stream().mapToDouble(cost).sum(), todo.size(), skipped.size());
        for (SweepPoint p : todo) {
            String status;
            Path lockFile = pointLockFile(out, p);
            try (ProcessLock lock = ProcessLock.tryAcquire(lockFile)) {
                if (lock == null) {
                    String holder = RunDirectory.holder(lockFile);
                    status = "busy: another sweep is running it (" + (holder.isEmpty() ? "holder unknown" : holder)
                            + "); the same command later picks up its result";
                } else if (finished(p) != null) { // finished by another sweep since this one started
                    skipped.add(p.id());
                    continue;
                } else {
                    status = runPoint(p, listener);
                }
            } catch (Exception e) {
                status = "failed: " + e.getMessage();
            }
            if (status.equals("done")) {
                ran.add(p.id());
                table().write(out); // after every point, so a killed or running study can be reported
            } else {
                failed.add(p.id() + " (" + status + ")");
            }
            listener.pointEnded(p, status.startsWith("blocked") || status.startsWith("busy") ? "blocked"
                    : status.equals("done") ? "done" : "failed", cost.applyAsDouble(p));
        }
        ResultsTable table = table();
        table.write(out);
        return new Outcome(table, ran, skipped, failed);
    }

    /** The table of every finished point of the plan in {@code out}, in plan order. */
    public ResultsTable table() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SweepPoint p : plan.points()) {
            JsonNode done = finished(p);
            if (done != null) {
                Map<String, Object> row = JsonReports.mapper().convertValue(done.path("row"),
                        new TypeReference<LinkedHashMap<String, Object>>() {});
                rows.add(row);
            }
        }
        return new ResultsTable(study, rows);
    }

    private String runPoint(SweepPoint p, Listener listener) throws Exception {
        Path dir = pointDir(p);
        Path ref = null;
        if (p.referenceId() != null) {
            SweepPoint reference = plan.find(p.referenceId());
            if (reference == null || finished(reference) == null) {
                return "blocked: its reference " + p.referenceId() + " has not finished";
            }
            ref = pointDir(reference).resolve(PointCommands.TRIBUO_MODEL);
        }
        Path logs = out.resolve("logs");
        Files.createDirectories(logs);
        if (!Files.exists(dir.resolve(PointCommands.TRAIN_JSON))) {
            boolean resume = Files.isRegularFile(dir.resolve(PointCommands.CHECKPOINTS).resolve(Checkpoint.FILE));
            if (!resume && Files.exists(dir)) {
                deleteTree(dir); // killed before its first checkpoint: nothing to keep
            }
            listener.pointStarted(p, resume ? "resume" : "train");
            BatchLogFollower.Position before = resume ? BatchLogFollower.lastPosition(
                    dir.resolve(RunDirectory.BATCH_LOG)) : null;
            if (before != null) {
                listener.pointResumed(p, before.share());
            }
            Path log = logs.resolve(p.id() + ".train.log");
            int rc;
            try (BatchLogFollower follower = new BatchLogFollower(dir.resolve(RunDirectory.BATCH_LOG),
                    followPeriodMillis, (share, where) -> listener.pointProgress(p, share, where.toString()))) {
                rc = invoker.run(commands.train(p, dir, ref, resume), log);
            }
            if (rc != 0) {
                return "failed: train exited with " + rc + ", see " + log;
            }
        } else {
            listener.pointStarted(p, "evaluate");
        }
        Path model = PointResults.modelToEvaluate(dir);
        if (model == null) {
            return "failed: training wrote no model in " + dir;
        }
        Double trainedEps = PointResults.number(PointResults.read(dir.resolve(PointCommands.TRAIN_JSON))
                .path("config"), "epsilon");
        Path log = logs.resolve(p.id() + ".evaluate.log");
        int rc = invoker.run(commands.evaluate(model, dir.resolve(PointCommands.EVAL_JSON), trainedEps), log);
        if (rc != 0) {
            return "failed: evaluate exited with " + rc + ", see " + log;
        }
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("fingerprint", commands.fingerprint(p));
        Map<String, Object> row = PointResults.row(p, commands.arch(), dir);
        row.put("host", host());
        done.put("row", row);
        JsonReports.write(dir.resolve(POINT_JSON), done);
        return "done";
    }

    private JsonNode finished(SweepPoint p) {
        Path f = pointDir(p).resolve(POINT_JSON);
        return Files.isRegularFile(f) ? PointResults.read(f) : null;
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    private static void deleteTree(Path dir) {
        try {
            org.widerobust.adapters.files.AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }
}
