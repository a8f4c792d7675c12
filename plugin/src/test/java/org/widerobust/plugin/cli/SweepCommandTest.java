package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.plugin.testing.TestNets;

/**
 * {@code widerobust sweep} and {@code widerobust report} end to end on the synthetic data set: real training and
 * evaluation through the train and evaluate commands, in seconds.
 */
class SweepCommandTest {
    /** The metric columns that must agree between a sharded and an unsharded study (not timings or paths). */
    private static final List<String> METRICS = List.of("point", "width", "lambda", "natural_accuracy",
            "robust_accuracy", "perturbation_stability", "flip_share", "local_lipschitz", "lambda_final",
            "lambda_mean", "parameters", "multiply_adds", "train_examples", "epochs");

    private static String[] sweep(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("sweep", "--data", "synthetic:120", "--arch", "mlp", "--widths",
                "0.25,0.5", "--lambdas", "1,6", "--epochs", "1", "--steps", "2", "--batch", "40", "--eval-limit", "40",
                "--eval-steps", "3", "--lipschitz-steps", "2", "--device", "cpu", "--threads", "2", "--quiet",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void sweepReportResumeAndShards(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole");
        CliRunner.Result r = CliRunner.run(sweep(whole));
        assertEquals(0, r.code(), r.err());
        JsonNode table = new ObjectMapper().readTree(whole.resolve("results.json").toFile());
        assertEquals(4, table.get("points").size());
        List<String> csv = Files.readAllLines(whole.resolve("results.csv"));
        assertEquals(5, csv.size());
        for (String column : List.of("natural_accuracy", "robust_accuracy", "robust_accuracy_pgd",
                "perturbation_stability", "local_lipschitz", "lambda_final", "lambda_mean", "parameters",
                "multiply_adds", "train_seconds", "model_file")) {
            assertTrue(csv.get(0).contains(column), column + " in " + csv.get(0));
        }
        JsonNode first = table.get("points").get(0);
        assertEquals("k0.25-lambda1", first.get("point").asText());
        assertEquals(1.0, first.get("lambda_final").asDouble());
        assertTrue(first.get("multiply_adds").asLong() > 0);
        assertTrue(first.get("local_lipschitz").asDouble() > 0);
        assertTrue(Files.exists(Path.of(first.get("model_file").asText())));

        // a dry run refuses what the real run would refuse: the study in --out planned its points otherwise (a field
        // report: the dry run listed the points with exit code 0, and the real run then refused)
        CliRunner.Result dryOther = CliRunner.run(sweep(whole, "--seed", "7", "--dry-run"));
        assertEquals(2, dryOther.code(), dryOther.out());
        assertTrue(dryOther.err().contains("holds a study that planned"), dryOther.err());

        // a second run retrains nothing
        r = CliRunner.run(sweep(whole));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 of 4 points already done"), r.out());
        assertTrue(r.out().contains("0 points run"), r.out());

        // a point killed after its checkpoint (its outputs gone) resumes from the checkpoint to the same row
        Path point = whole.resolve("points").resolve("k0.5-lambda6");
        JsonNode before = new ObjectMapper().readTree(point.resolve("point.json").toFile()).get("row");
        for (String f : List.of("point.json", "eval.json", "train.json", "model.onnx", "model.tribuo")) {
            Files.delete(point.resolve(f));
        }
        r = CliRunner.run(sweep(whole));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("k0.5-lambda6: resume"), r.out());
        JsonNode after = new ObjectMapper().readTree(point.resolve("point.json").toFile()).get("row");
        for (String m : METRICS) {
            assertEquals(before.get(m), after.get(m), m);
        }

        // two shards, merged by report, give the unsharded table
        Path s1 = tmp.resolve("shard1");
        Path s2 = tmp.resolve("shard2");
        assertEquals(0, CliRunner.run(sweep(s1, "--shard", "1/2")).code());
        assertEquals(0, CliRunner.run(sweep(s2, "--shard", "2/2")).code());
        int n1 = new ObjectMapper().readTree(s1.resolve("results.json").toFile()).get("points").size();
        int n2 = new ObjectMapper().readTree(s2.resolve("results.json").toFile()).get("points").size();
        assertEquals(4, n1 + n2);
        assertTrue(n1 > 0 && n2 > 0);
        Path merged = tmp.resolve("merged");
        r = CliRunner.run("report", "--in", s1.toString(), s2.toString(), "--out", merged.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(!r.err().contains("warning"), "both shards: nothing missing: " + r.err());
        // one shard alone: reported, with the missing points named in the output and in the report
        CliRunner.Result half = CliRunner.run("report", "--in", s1.toString(), "--out", tmp.resolve("half")
                .toString());
        assertEquals(0, half.code(), half.err());
        assertTrue(half.err().contains("warning: " + n2 + " planned point") && half.err().contains("in shards not "
                + "given"), half.err());
        assertTrue(Files.readString(tmp.resolve("half").resolve("report.html")).contains("Incomplete:"));
        CliRunner.Result intoShard = CliRunner.run("report", "--in", s1.toString(), s2.toString(), "--out",
                s2.toString());
        assertEquals(2, intoShard.code());
        assertTrue(intoShard.err().contains("is also one of this command's inputs"), intoShard.err());
        CliRunner.Result intoStudy = CliRunner.run("export", "--model", TestNets.fixture("mlp").resolve("model.onnx")
                .toString(), "--onnx", s1.resolve("results.json").toString());
        assertEquals(2, intoStudy.code());
        assertTrue(intoStudy.err().contains("would write into the study in"), intoStudy.err());
        String[] other = sweep(s1, "--shard", "1/2");
        other[java.util.Arrays.asList(other).indexOf("1,6")] = "1,3";
        CliRunner.Result otherPlan = CliRunner.run(other);
        assertEquals(2, otherPlan.code());
        assertTrue(otherPlan.err().contains("which this sweep does not plan") || otherPlan.err().contains(
                "with other settings"), otherPlan.err());
        CliRunner.Result overOther = CliRunner.run("report", "--in", s1.toString(), "--out", s2.toString());
        assertEquals(2, overOther.code());
        assertTrue(overOther.err().contains("holds another study's results"), overOther.err());
        // a report rewritten in place keeps files of its charts/ that it did not draw
        Path mine = s1.resolve("charts").resolve("mine.png");
        Files.createDirectories(mine.getParent());
        Files.write(mine, new byte[] {1});
        assertEquals(0, CliRunner.run("report", "--in", s1.toString(), "--out", s1.toString()).code());
        assertTrue(Files.exists(mine), "a file the report did not write is kept");
        CliRunner.Result twice = CliRunner.run("report", "--in", s1.toString(), s1 + "/.", "--out",
                tmp.resolve("twice").toString());
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("names " + s1 + "/. twice"), twice.err());
        Path wholeReport = tmp.resolve("whole-report");
        assertEquals(0, CliRunner.run("report", "--in", whole.toString(), "--out", wholeReport.toString()).code());
        JsonNode a = new ObjectMapper().readTree(wholeReport.resolve("results.json").toFile()).get("points");
        JsonNode b = new ObjectMapper().readTree(merged.resolve("results.json").toFile()).get("points");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            for (String m : METRICS) {
                assertEquals(a.get(i).get(m), b.get(i).get(m), a.get(i).get("point") + " " + m);
            }
        }

        // the report: findings, embedded PNG charts that decode, the merged table
        String html = Files.readString(merged.resolve("report.html"));
        assertTrue(html.contains("Findings"));
        assertTrue(html.contains("At a fixed λ, wider networks gain natural accuracy"));
        assertTrue(html.contains("Local Lipschitzness grows with width"));
        assertTrue(html.contains("not tested"), "no WAR points in this study: the third claim is not tested");
        assertEquals(5, html.split("data:image/png;base64,", -1).length - 1, "4 metric charts + decomposition");
        // stability counts flips of wrong predictions too, so natural − flip share is a lower bound, not an estimate
        assertTrue(html.contains("Robust accuracy ≥ natural accuracy − flip share"), "decomposition title");
        assertTrue(html.contains("x is a lower bound of y"), "decomposition caption");
        for (JsonNode p : a) {
            assertTrue(p.get("robust_accuracy").asDouble() >= p.get("natural_accuracy").asDouble()
                    - p.get("flip_share").asDouble() - 1e-12, p.toString());
        }
        try (Stream<Path> pngs = Files.list(merged.resolve("charts"))) {
            for (Path png : pngs.toList()) {
                assertNotNull(ImageIO.read(png.toFile()), png.toString());
            }
        }
        assertTrue(r.out().contains("report.html"));
    }

    @Test
    void changedSettingsAndBadInputAreClearErrors(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("s");
        assertEquals(0, CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "mlp", "--widths", "0.25",
                "--lambdas", "1", "--epochs", "1", "--steps", "1", "--batch", "30", "--eval-limit", "20",
                "--eval-steps", "1", "--no-lipschitz", "--device", "cpu", "--threads", "2", "--quiet", "--out",
                out.toString()).code());
        CliRunner.Result r = CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "mlp", "--widths", "0.25",
                "--lambdas", "1", "--epochs", "2", "--steps", "1", "--batch", "30", "--eval-limit", "20",
                "--eval-steps", "1", "--no-lipschitz", "--device", "cpu", "--threads", "2", "--quiet", "--out",
                out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("other settings"), r.err());
        assertEquals(2, CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "mlp", "--widths", "1,x",
                "--lambdas", "1", "--out", out.toString()).code());
        assertEquals(2, CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "nope", "--widths", "1",
                "--lambdas", "1", "--out", out.toString()).code());
        assertEquals(2, CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "mlp", "--widths", "1",
                "--lambdas", "1", "--shard", "3/2", "--out", out.toString()).code());
        assertEquals(2, CliRunner.run("report", "--in", tmp.resolve("nothing").toString(), "--out",
                tmp.resolve("r").toString()).code());
        // a WAR reference wider than a width it guides
        r = CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "mlp", "--widths", "1,2", "--war", "ratio",
                "--war-reference-width", "3", "--dry-run", "--out", tmp.resolve("wide-ref").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--war-reference-width must be > 0 and not wider than the smallest width 1"),
                r.err());
        // WAR points too short for the ratio rule's interval are warned about once, before any point runs
        r = CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "mlp", "--widths", "0.25,0.5", "--lambdas", "6",
                "--war", "ratio", "--limit", "60", "--epochs", "1", "--batch", "20", "--dry-run", "--out",
                tmp.resolve("short-war").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("WAR points: the WAR ratio rule updates lambda every 20 batches, and this run has "
                + "3"), r.err());
        // a budget in pixel units is warned about once, before any point runs (not only in the points' logs)
        r = CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "mlp", "--widths", "1", "--lambdas", "1",
                "--eps", "8", "--dry-run", "--out", tmp.resolve("eps8").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: training: eps 8.000 is at least the L-inf diameter")
                && r.err().contains("warning: evaluation: eps 8.000"), r.err());
        // a dry run lists the plan and its commands, trains nothing
        r = CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "mlp", "--widths", "1,2", "--lambdas", "1,6",
                "--war", "ratio", "--war-lambda", "6", "--shard", "2/2", "--dry-run", "--out",
                tmp.resolve("dry").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6 points in the study"), r.out());
        assertFalse(Files.exists(tmp.resolve("dry")));
    }

    /** Training and evaluation options every point passes on are checked once, before any point runs. */
    @Test
    void badPointOptionsFailOnceBeforeAnyPointRuns(@TempDir Path tmp) throws Exception {
        String[][] bad = {{"--method", "nat", "--method"}, {"--lr", "abc", "--lr"}, {"--val-steps", "0", "--val-steps"},
                {"--lr-schedule", "wavy", "--lr-schedule"}, {"--eval-steps", "0", "--eval-steps must be at least 1"},
                {"--attack", "nope", "nope"}, {"--eval-eps", "-1", "--eval-eps must be"}};
        for (String[] b : bad) {
            Path out = tmp.resolve("s" + b[0].substring(2));
            CliRunner.Result r = CliRunner.run("sweep", "--data", "synthetic:60", "--arch", "mlp", "--widths",
                    "0.25,0.5", "--lambdas", "1", "--epochs", "1", "--steps", "1", "--batch", "30", "--eval-limit",
                    "20", "--no-lipschitz", "--device", "cpu", "--threads", "2", "--quiet", b[0], b[1], "--out",
                    out.toString());
            assertEquals(2, r.code(), String.join(" ", b) + ": " + r.out() + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), "one line: " + err);
            assertTrue(err.startsWith("widerobust sweep: point "), err);
            assertTrue(err.contains(b[2]), b[2] + " in " + err);
            assertFalse(Files.exists(out.resolve("points")), "no point ran for " + String.join(" ", b));
        }
    }

    /** Needs the WAR trainer options of issue 8 ({@code --war}); skipped (not failed) on a trainer without them. */
    @Test
    void warPointsTrainAfterTheirReference(@TempDir Path tmp) throws Exception {
        assumeTrue(new TrainCommand().options().hasLongOption("war"), "train has no --war yet (issue 8)");
        Path out = tmp.resolve("war");
        CliRunner.Result r = CliRunner.run("sweep", "--data", "synthetic:120", "--arch", "mlp", "--widths",
                "0.25,0.5", "--lambdas", "6", "--war", "ratio", "--war-lambda", "6", "--epochs", "1", "--steps", "2",
                "--batch", "40", "--eval-limit", "40", "--eval-steps", "3", "--lipschitz-steps", "2", "--device", "cpu",
                "--threads", "2", "--quiet", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode points = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("points");
        assertEquals(4, points.size());
        String log = Files.readString(out.resolve("logs").resolve("k0.5-war-ratio.train.log"));
        assertTrue(log.contains("--war-reference " + out.resolve("points").resolve("k0.25-lambda6")
                .resolve("model.tribuo")), log);
        for (JsonNode p : points) {
            assertTrue(p.get("lambda_final").isNumber(), p.toString());
            assertTrue(p.get("natural_risk").isNumber(), p.toString());
        }
        Path report = tmp.resolve("report");
        assertEquals(0, CliRunner.run("report", "--in", out.toString(), "--out", report.toString()).code());
        assertTrue(Files.exists(report.resolve("charts").resolve("war_lambda.png")));
        assertTrue(Files.exists(report.resolve("charts").resolve("tuning_cost_examples.png")));
    }
}
