package org.widerobust.plugin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.widerobust.plugin.sweep.SweepPoint;

/** The verdicts on the paper's claims, from hand-made rows whose answers are known. */
class FindingsTest {
    private static Map<String, Object> row(double width, double lambda, String war, double nat, double rob,
                                           double stab, double lip, double examples, double seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        SweepPoint p = war == null ? SweepPoint.fixed(width, lambda)
                : new SweepPoint(width, lambda, war, SweepPoint.fixedId(1, lambda));
        r.put("point", p.id());
        r.put("kind", p.kind());
        r.put("width", width);
        r.put("lambda", lambda);
        r.put("war_rule", war);
        r.put("reference", p.referenceId());
        r.put("natural_accuracy", nat);
        r.put("robust_accuracy", rob);
        r.put("perturbation_stability", stab);
        r.put("flip_share", 1 - stab);
        r.put("local_lipschitz", lip);
        r.put("train_examples", examples);
        r.put("train_seconds", seconds);
        return r;
    }

    /** The paper's picture: wider gains accuracy, loses stability, grows in Lipschitzness; WAR wins back. */
    private static List<Map<String, Object>> paper() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row(1, 1, null, 0.70, 0.45, 0.75, 10, 1000, 10));
        rows.add(row(4, 1, null, 0.80, 0.40, 0.60, 30, 1000, 40));
        rows.add(row(1, 6, null, 0.65, 0.50, 0.85, 5, 1000, 10));
        rows.add(row(4, 6, null, 0.78, 0.48, 0.70, 12, 1000, 40));
        rows.add(row(1, 1, "ratio", 0.70, 0.45, 0.75, 10, 1000, 10));
        rows.add(row(4, 1, "ratio", 0.76, 0.47, 0.72, 11, 1000, 40));
        return rows;
    }

    @Test
    void thePapersPictureHolds() {
        List<Findings.Finding> f = Findings.of(paper());
        assertEquals(Findings.Verdict.HELD, f.get(0).verdict(), f.get(0).details().toString());
        assertEquals(Findings.Verdict.HELD, f.get(1).verdict(), f.get(1).details().toString());
        assertEquals(Findings.Verdict.HELD, f.get(2).verdict(), f.get(2).details().toString());
        assertTrue(f.get(0).details().get(0).contains("natural accuracy 70.0% → 80.0% (+10.0 points), stability "
                + "75.0% → 60.0% (-15.0 points)"), f.get(0).details().get(0));
        assertTrue(f.get(2).details().get(0).contains("WAR robust accuracy 47.0%"), f.get(2).details().get(0));
        // grid: 4 runs = 4000 examples, 100 s; the reference width's grid (2 runs, 20 s) + the WAR run at the wider
        // width (40 s): 3000 examples, 60 s; the WAR run at the reference width is only a check and not counted
        Findings.TuningCost c = Findings.TuningCost.of(paper());
        assertEquals(4000, c.fullGridExamples());
        assertEquals(3000, c.warExamples());
        assertEquals(100 / 3600.0, c.fullGridHours(), 1e-12);
        assertEquals(60 / 3600.0, c.warHours(), 1e-12);
    }

    @Test
    void contraryNumbersAreReportedAsNotHeldOrPartly() {
        List<Map<String, Object>> rows = paper();
        rows.set(3, row(4, 6, null, 0.60, 0.48, 0.90, 4, 1000, 40)); // at λ = 6 wider lost accuracy, gained stability
        rows.set(5, row(4, 1, "ratio", 0.76, 0.40, 0.72, 11, 1000, 40)); // WAR no better than the fixed λ₀
        List<Findings.Finding> f = Findings.of(rows);
        assertEquals(Findings.Verdict.PARTLY, f.get(0).verdict());
        assertEquals(Findings.Verdict.PARTLY, f.get(1).verdict());
        assertEquals(Findings.Verdict.NOT_HELD, f.get(2).verdict());
        assertTrue(f.get(0).details().get(1).endsWith("not as the paper says."), f.get(0).details().get(1));
    }

    @Test
    void missingDataIsNotTested() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row(1, 1, null, 0.7, 0.4, 0.7, Double.NaN, 1000, 10));
        rows.get(0).put("local_lipschitz", null);
        List<Findings.Finding> f = Findings.of(rows);
        for (Findings.Finding x : f) {
            assertEquals(Findings.Verdict.NOT_TESTED, x.verdict(), x.claim());
        }
    }

    @Test
    void differencesWithinTwoStandardErrorsAreMarkedAsNoise() {
        List<Map<String, Object>> rows = paper();
        rows.forEach(r -> r.put("eval_examples", 500.0));
        List<Findings.Finding> f = Findings.of(rows);
        // natural 70% -> 80% on 500 images each: se of the difference = sqrt(.21/500 + .16/500) = 2.7 points
        String d = f.get(0).details().get(0);
        assertTrue(d.contains("(+10.0 points)"), d);
        assertTrue(d.contains("stability 75.0% → 60.0% (-15.0 points)"), d);
        // WAR 47% against 40%: 2 se = 6.3 points, a real gain; on 50 images it is within noise (2 se = 19.1 points
        // with Agresti and Coull's adjusted proportions)
        assertTrue(!f.get(2).details().get(0).contains("within noise"), f.get(2).details().get(0));
        rows.forEach(r -> r.put("eval_examples", 50.0));
        String small = Findings.of(rows).get(2).details().get(0);
        assertTrue(small.contains("+7.0 points, within noise: two standard errors are ±19.1"), small);
    }

    @Test
    void equalAccuraciesAreNoiseEvenAtZero() {
        // models at chance: every robust accuracy 0%, so the binomial standard error is 0 and only <= keeps an equal
        // pair within noise (a field report showed "WAR 0.0% against 0.0% (+0.0 points)" as "did not hold")
        List<Map<String, Object>> rows = withEvalExamples(paper(), 500);
        rows.forEach(r -> r.put("robust_accuracy", 0.0));
        Findings.Finding war = Findings.of(rows).get(2);
        assertEquals(Findings.Verdict.NOT_SHOWN, war.verdict(), war.details().toString());
        assertTrue(war.details().get(0).contains("+0.0 points, within noise"), war.details().get(0));
    }

    private static List<Map<String, Object>> withEvalExamples(List<Map<String, Object>> rows, double n) {
        rows.forEach(r -> r.put("eval_examples", n));
        return rows;
    }

    @Test
    void aTradeOffWithinNoiseIsNotShownAndOneBeyondItHeld() {
        // 100 test images: natural 70% -> 73% has 2 se = 2 sqrt(.21/100 + .1971/100) = 12.8 points, stability
        // 75% -> 72% has 2 se = 12.4 points: both within noise, so the right signs alone show nothing
        List<Map<String, Object>> small = withEvalExamples(new ArrayList<>(List.of(
                row(1, 1, null, 0.70, 0.45, 0.75, 10, 1000, 10), row(4, 1, null, 0.73, 0.44, 0.72, 30, 1000, 40))),
                100);
        Findings.Finding f = Findings.of(small).get(0);
        assertEquals(Findings.Verdict.NOT_SHOWN, f.verdict(), f.details().toString());
        assertTrue(f.details().get(0).endsWith("not shown beyond noise."), f.details().get(0));
        assertTrue(f.details().get(f.details().size() - 1).contains("two binomial standard errors"), f.details()
                .toString());
        // 70% -> 80% and 75% -> 60% on 1000 images each: 2 se are 3.9 and 4.0 points, far below the differences
        List<Map<String, Object>> large = withEvalExamples(new ArrayList<>(List.of(
                row(1, 1, null, 0.70, 0.45, 0.75, 10, 1000, 10), row(4, 1, null, 0.80, 0.40, 0.60, 30, 1000, 40))),
                1000);
        assertEquals(Findings.Verdict.HELD, Findings.of(large).get(0).verdict());
        // wider lost 10 points of accuracy beyond noise: against the claim
        large.set(1, row(4, 1, null, 0.60, 0.40, 0.60, 30, 1000, 40));
        assertEquals(Findings.Verdict.NOT_HELD, Findings.of(withEvalExamples(large, 1000)).get(0).verdict());
    }

    @Test
    void warWithinNoiseIsNotShownAndBeyondItHeld() {
        // WAR 47% against the fixed λ₀'s 40% at width 4: on 50 images 2 se = 19.8 points, on 500 images 6.3
        assertEquals(Findings.Verdict.NOT_SHOWN, Findings.of(withEvalExamples(paper(), 50)).get(2).verdict());
        assertTrue(Findings.of(withEvalExamples(paper(), 50)).get(2).details().get(0)
                .endsWith("WAR's gain is not shown beyond noise."));
        assertEquals(Findings.Verdict.HELD, Findings.of(withEvalExamples(paper(), 500)).get(2).verdict());
    }

    @Test
    void lipschitzGrowthBelowTheThresholdOrNotSteadyIsNotShown() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row(1, 1, null, 0.70, 0.45, 0.75, 10, 1000, 10));
        rows.add(row(4, 1, null, 0.80, 0.40, 0.60, 10.5, 1000, 40)); // +5% < 10%
        Findings.Finding f = Findings.of(rows).get(1);
        assertEquals(Findings.Verdict.NOT_SHOWN, f.verdict(), f.details().toString());
        assertTrue(f.details().get(f.details().size() - 1).contains("at least 10%"), f.details().toString());
        rows.set(1, row(4, 1, null, 0.80, 0.40, 0.60, 11.5, 1000, 40)); // +15%
        assertEquals(Findings.Verdict.HELD, Findings.of(rows).get(1).verdict());
        // +20% overall but it rose at only 1 of 3 steps: not steady growth
        rows.add(row(2, 1, null, 0.75, 0.42, 0.70, 9, 1000, 20));
        rows.add(row(3, 1, null, 0.78, 0.41, 0.65, 8.5, 1000, 30));
        rows.set(1, row(4, 1, null, 0.80, 0.40, 0.60, 12, 1000, 40));
        assertEquals(Findings.Verdict.NOT_SHOWN, Findings.of(rows).get(1).verdict());
        // a fall of 20% goes against the claim
        rows.set(1, row(4, 1, null, 0.80, 0.40, 0.60, 8, 1000, 40));
        assertEquals(Findings.Verdict.NOT_HELD, Findings.of(rows).get(1).verdict());
    }

    /**
     * A field report: a study whose models never trained (natural accuracy at chance) and one evaluated at eps 8 on
     * [0, 1] images got firm verdicts. Such points are left out, saying why, and the claims they alone would test are
     * not. A second report: a TRADES point at a large λ kept its natural risk near ln 10 while reaching 51.5% test
     * accuracy, and was wrongly left out; the test is accuracy, not the training loss.
     */
    @Test
    void pointsThatMeanNothingAreLeftOutAndSaySo() {
        List<Map<String, Object>> untrained = paper();
        for (Map<String, Object> r : untrained) {
            r.put("classes", 10);
            r.put("eval_examples", 200.0);
            r.put("natural_accuracy", 0.12);
        }
        List<Findings.Finding> none = Findings.of(untrained);
        for (Findings.Finding f : none) {
            assertEquals(Findings.Verdict.NOT_TESTED, f.verdict(), f.details().toString());
        }
        assertTrue(none.get(0).details().get(0).startsWith("Left out, since what they measure means nothing: "
                + "k1-lambda1 is not above chance (natural accuracy 12.0% against 1/10 = 10.0% + 4.2 points of noise "
                + "on 200 test images)"), none.get(0).details().get(0));
        assertEquals("6 point(s) left out (see claim 1).", none.get(1).details().get(0));
        // the WAR points exist but were left out: said so, not "the study has no WAR points"
        assertTrue(none.get(2).details().toString().contains("Every WAR point was left out")
                && !none.get(2).details().toString().contains("has no WAR points"), none.get(2).details().toString());
        List<Map<String, Object>> covering = paper();
        covering.get(1).put("eval_warnings", "attack pgd-20: eps 8 is at least the L-inf diameter 1 of the input box "
                + "[0.0, 1.0]; every point can be moved anywhere, so robust accuracy is meaningless");
        covering.get(1).put("eval_eps", 8.0);
        List<Findings.Finding> f = Findings.of(covering);
        assertTrue(f.get(0).details().get(0).contains("k4-lambda1 was evaluated with a budget that covers the whole "
                + "input box (eps 8)"), f.get(0).details().get(0));
        assertEquals(Findings.Verdict.HELD, f.get(0).verdict(), "λ = 6 still tests the claim: " + f.get(0).details());
        // trained points count, whatever their training loss
        List<Map<String, Object>> trained = paper();
        trained.forEach(r -> { r.put("classes", 10); r.put("eval_examples", 200.0); r.put("natural_risk", 2.17); });
        assertEquals(Findings.Verdict.HELD, Findings.of(trained).get(0).verdict());
    }

    /** At 0% the plain binomial error is 0; with Agresti and Coull's adjustment 0% against 0.5% is within noise. */
    @Test
    void differencesAtZeroPercentAreNotBeyondNoiseByConstruction() {
        Map<String, Object> a = row(1, 1, null, 0.1, 0, 0.0, 1, 1000, 10);
        Map<String, Object> b = row(4, 1, null, 0.1, 0, 0.005, 1, 1000, 10);
        a.put("eval_examples", 200.0);
        b.put("eval_examples", 200.0);
        assertTrue(Findings.withinNoise(a, b, "perturbation_stability"));
        b.put("perturbation_stability", 0.10);
        assertTrue(!Findings.withinNoise(a, b, "perturbation_stability"));
    }

    /** Points evaluated at their best epoch are named, since their training columns are the last epoch's. */
    @Test
    void pointsEvaluatedAtTheirBestEpochAreNamed() {
        List<Map<String, Object>> rows = paper();
        assertEquals(null, HtmlReport.checkpointNote(rows));
        rows.get(1).put("evaluated_checkpoint", "best");
        rows.get(1).put("best_epoch", 1.0);
        rows.get(0).put("evaluated_checkpoint", "last");
        String note = HtmlReport.checkpointNote(rows);
        assertTrue(note.startsWith("1 point(s) were evaluated at their best validation epoch (best.onnx): "
                + "k4-lambda1 (epoch 1)."), note);
    }

    /** A WAR point whose λ never left λ₀ is said not to have exercised WAR (a short run, in a field report). */
    @Test
    void aWarPointWhoseLambdaNeverMovedIsNamed() {
        List<Map<String, Object>> rows = paper();
        Map<String, Object> war = rows.get(5);
        war.put("lambda_final", 1.4); // updated after the last batch: no batch trained at it
        war.put("lambda_mean", 1.0);
        String d = Findings.of(rows).get(2).details().get(0);
        assertTrue(d.contains("Every batch trained at λ₀"), d);
        war.put("lambda_final", 1.4);
        war.put("lambda_mean", 1.2);
        assertTrue(!Findings.of(rows).get(2).details().get(0).contains("Every batch trained at λ₀"));
    }
}
