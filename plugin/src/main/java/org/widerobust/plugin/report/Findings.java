package org.widerobust.plugin.report;

import static org.widerobust.plugin.report.StudyResults.num;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.widerobust.plugin.eval.ChanceLevel;
import org.widerobust.plugin.model.InputDomain;

/**
 * Whether the paper's three claims held on a study, in words and numbers. Pure: computed from the results rows.
 * <ol>
 *   <li>At a fixed λ, wider networks gain natural accuracy but lose perturbation stability: per λ, the widest
 *       point against the narrowest.</li>
 *   <li>Local Lipschitzness grows with width: per λ, the widest against the narrowest.</li>
 *   <li>WAR wins back robust accuracy for much less tuning: per width wider than the reference, WAR's robust
 *       accuracy against the fixed λ₀ (it must be higher) and against the best λ of the grid at that width, and the
 *       tuning cost of a
 *       grid at the reference width plus one WAR run per wider width against a full grid at every width.</li>
 * </ol>
 * A comparison counts only beyond noise: an accuracy difference within two binomial standard errors on the
 * evaluation's test images ({@code eval_examples}; when not recorded, the sign alone decides) shows nothing, and a
 * local Lipschitz estimate, which has no noise estimate, must grow by at least {@link #LIPSCHITZ_GROWTH} over the
 * width range and rise at more than half the steps in width (it is contrary only if it shrank by as much).
 * A claim {@link Verdict#HELD held} if it held for every λ (or width) tested, {@link Verdict#PARTLY partly} if for
 * some, {@link Verdict#NOT_SHOWN was not shown} if for none and nothing contradicted it beyond noise,
 * {@link Verdict#NOT_HELD did not hold} if for none and something did; {@link Verdict#NOT_TESTED not tested} if the
 * study lacks what it needs (two widths, the metric, or WAR points). Points whose numbers mean nothing are left out,
 * and every finding says which and why ({@link #unsound}): a model whose natural accuracy is not above chance, or
 * an evaluation whose budget covers the whole input box.
 */
public final class Findings {
    /** The outcome for one claim. */
    public enum Verdict {
        HELD("held"), PARTLY("held partly"), NOT_SHOWN("not shown"), NOT_HELD("did not hold"),
        NOT_TESTED("not tested");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        /** E.g. "held partly". */
        public String words() {
            return words;
        }

        /** From the number of cases that held, that went against the claim beyond noise, and that were tested. */
        static Verdict of(int held, int contrary, int tested) {
            return tested == 0 ? NOT_TESTED : held == tested ? HELD : held > 0 ? PARTLY : contrary > 0 ? NOT_HELD
                    : NOT_SHOWN;
        }
    }

    /** The least relative growth of the local Lipschitz estimate, widest against narrowest, that counts (10%). */
    public static final double LIPSCHITZ_GROWTH = 0.10;

    /**
     * Whether {@code b}'s value of an accuracy is above {@code a}'s beyond noise: +1 above, 0 within noise, -1 below
     * (or equal, where the noise is not recorded and the sign alone decides).
     */
    private static int beyondNoise(Map<String, Object> a, Map<String, Object> b, String column) {
        return withinNoise(a, b, column) ? 0 : num(b, column) > num(a, column) ? 1 : -1;
    }

    /**
     * One claim's finding.
     *
     * @param claim   the paper's claim
     * @param verdict whether it held
     * @param details one sentence per λ or width tested, with the numbers
     */
    public record Finding(String claim, Verdict verdict, List<String> details) {}

    /** The paper's claims, in order. */
    public static final List<String> CLAIMS = List.of(
            "At a fixed λ, wider networks gain natural accuracy but lose perturbation stability.",
            "Local Lipschitzness grows with width.",
            "A λ enlarged for width (WAR) wins back robust accuracy, for much less tuning than a λ grid at every "
                    + "width.");

    private Findings() {}

    /** The three findings for the rows of a study. */
    public static List<Finding> of(List<Map<String, Object>> rows) {
        Map<Double, TreeMap<Double, Map<String, Object>>> byLambda = new TreeMap<>();
        Map<Double, Map<String, Object>> war = new TreeMap<>();
        List<String> leftOut = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            String unsound = unsound(r);
            if (unsound != null) {
                leftOut.add(r.get("point") + " " + unsound);
                continue;
            }
            if ("war".equals(r.get("kind"))) {
                war.put(num(r, "width"), r);
            } else {
                byLambda.computeIfAbsent(num(r, "lambda"), k -> new TreeMap<>()).put(num(r, "width"), r);
            }
        }
        boolean warLeftOut = war.isEmpty() && rows.stream().anyMatch(r -> "war".equals(r.get("kind")));
        List<Finding> findings = List.of(widthTradeOff(byLambda), lipschitz(byLambda),
                warLeftOut ? new Finding(CLAIMS.get(2), Verdict.NOT_TESTED, List.of("Every WAR point was left out "
                        + "(claim 1 says why).")) : war(byLambda, war, rows));
        if (leftOut.isEmpty()) {
            return findings;
        }
        // said in full once, under the first claim, and referred to under the others
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            List<String> d = new ArrayList<>();
            d.add(i == 0 ? "Left out, since what they measure means nothing: " + String.join("; ", leftOut) + "."
                    : leftOut.size() + " point(s) left out (see claim 1).");
            d.addAll(f.details());
            out.add(new Finding(f.claim(), f.verdict(), d));
        }
        return out;
    }

    /**
     * Why a point's numbers cannot test a claim, or null: a model whose natural accuracy on the test images is not
     * above chance (1/K) beyond two binomial standard errors (an untrained or broken model), or an evaluation whose
     * budget covers the whole input box (its robust accuracy, stability and Lipschitz estimate mean nothing). The
     * training loss is no test of this: TRADES at a large λ keeps the natural risk near ln K while the model learns.
     */
    static String unsound(Map<String, Object> row) {
        double k = num(row, "classes");
        double nat = num(row, "natural_accuracy");
        double n = num(row, "eval_examples");
        if (!Double.isNaN(k) && !Double.isNaN(n) && ChanceLevel.atChance(nat, (int) k, (int) n)) {
            double chance = 1 / k;
            return String.format(Locale.ROOT, "%s (natural accuracy %.1f%% against 1/%d = %.1f%% + %.1f points of "
                    + "noise on %d test images)", ChanceLevel.PHRASE, 100 * nat, (int) k, 100 * chance,
                    100 * (ChanceLevel.threshold((int) k, (int) n) - chance), (int) n);
        }
        Object warnings = row.get("eval_warnings");
        if (warnings != null && warnings.toString().contains(ChanceLevel.PHRASE)) { // its own evaluation said so
            return ChanceLevel.PHRASE + " (its evaluation's warning)";
        }
        if (warnings != null && warnings.toString().contains(InputDomain.MEANINGLESS)) {
            return "was evaluated with a budget that covers the whole input box (eps " + fmt(num(row, "eval_eps"))
                    + ")";
        }
        return null;
    }

    private static Finding widthTradeOff(Map<Double, TreeMap<Double, Map<String, Object>>> byLambda) {
        List<String> d = new ArrayList<>();
        int held = 0;
        int contrary = 0;
        int tested = 0;
        for (Map.Entry<Double, TreeMap<Double, Map<String, Object>>> e : byLambda.entrySet()) {
            TreeMap<Double, Map<String, Object>> w = e.getValue();
            if (w.size() < 2) {
                continue;
            }
            Map<String, Object> narrow = w.firstEntry().getValue();
            Map<String, Object> wide = w.lastEntry().getValue();
            double dn = num(wide, "natural_accuracy") - num(narrow, "natural_accuracy");
            double ds = num(wide, "perturbation_stability") - num(narrow, "perturbation_stability");
            if (Double.isNaN(dn) || Double.isNaN(ds)) {
                continue;
            }
            tested++;
            int sn = beyondNoise(narrow, wide, "natural_accuracy");
            int loss = beyondNoise(wide, narrow, "perturbation_stability");
            boolean ok = sn > 0 && loss > 0;
            boolean against = sn < 0 || loss < 0;
            held += ok ? 1 : 0;
            contrary += against ? 1 : 0;
            d.add(String.format(Locale.ROOT, "λ = %s, width %s → %s: natural accuracy %s (%s), stability %s (%s)%s.",
                    fmt(e.getKey()), fmt(w.firstKey()), fmt(w.lastKey()), pp(num(narrow, "natural_accuracy"),
                            num(wide, "natural_accuracy")), signed(dn) + noise(narrow, wide, "natural_accuracy"),
                    pp(num(narrow, "perturbation_stability"), num(wide, "perturbation_stability")),
                    signed(ds) + noise(narrow, wide, "perturbation_stability"), ok ? "" : against
                            ? " — not as the paper says" : " — not shown beyond noise"));
        }
        if (tested > 0) {
            d.add(NOISE_RULE);
        }
        return new Finding(CLAIMS.get(0), Verdict.of(held, contrary, tested), d);
    }

    private static Finding lipschitz(Map<Double, TreeMap<Double, Map<String, Object>>> byLambda) {
        List<String> d = new ArrayList<>();
        int held = 0;
        int contrary = 0;
        int tested = 0;
        for (Map.Entry<Double, TreeMap<Double, Map<String, Object>>> e : byLambda.entrySet()) {
            TreeMap<Double, Map<String, Object>> w = e.getValue();
            List<Double> values = new ArrayList<>();
            for (Map<String, Object> r : w.values()) {
                values.add(num(r, "local_lipschitz"));
            }
            if (w.size() < 2 || values.stream().anyMatch(v -> Double.isNaN(v))) {
                continue;
            }
            tested++;
            double first = values.get(0);
            double last = values.get(values.size() - 1);
            int rises = 0;
            for (int i = 1; i < values.size(); i++) {
                rises += values.get(i) > values.get(i - 1) ? 1 : 0;
            }
            boolean ok = last >= first * (1 + LIPSCHITZ_GROWTH) && 2 * rises > values.size() - 1;
            boolean against = last * (1 + LIPSCHITZ_GROWTH) <= first;
            held += ok ? 1 : 0;
            contrary += against ? 1 : 0;
            d.add(String.format(Locale.ROOT, "λ = %s: local Lipschitz %s at width %s → %s at width %s (×%.2f); it "
                            + "rose at %d of %d steps in width%s.", fmt(e.getKey()), num3(first), fmt(w.firstKey()),
                    num3(last), fmt(w.lastKey()), last / first, rises, values.size() - 1, ok ? "" : against
                            ? " — not as the paper says" : " — not shown: too little or no steady growth"));
        }
        if (tested > 0) {
            d.add(String.format(Locale.ROOT, "Rule: the estimate has no noise estimate, so growth counts only if it is "
                    + "at least %.0f%% from the narrowest to the widest width and the estimate rose at more than half "
                    + "the steps in width; a fall by as much goes against the claim; anything else is not shown.",
                    100 * LIPSCHITZ_GROWTH));
        }
        return new Finding(CLAIMS.get(1), Verdict.of(held, contrary, tested), d);
    }

    private static Finding war(Map<Double, TreeMap<Double, Map<String, Object>>> byLambda,
                               Map<Double, Map<String, Object>> war, List<Map<String, Object>> rows) {
        List<String> d = new ArrayList<>();
        if (war.isEmpty()) {
            d.add("The study has no WAR points (sweep --war ratio|power).");
            return new Finding(CLAIMS.get(2), Verdict.NOT_TESTED, d);
        }
        double lambda0 = num(war.values().iterator().next(), "lambda");
        double refWidth = war.keySet().iterator().next();
        String ref = String.valueOf(war.values().iterator().next().get("reference"));
        if (ref != null && ref.startsWith("k")) {
            for (Map<String, Object> r : rows) {
                if (ref.equals(r.get("point"))) {
                    refWidth = num(r, "width");
                }
            }
        }
        int held = 0;
        int contrary = 0;
        int tested = 0;
        for (Map.Entry<Double, Map<String, Object>> e : war.entrySet()) {
            double width = e.getKey();
            if (width <= refWidth) {
                continue;
            }
            double warRobust = num(e.getValue(), "robust_accuracy");
            Map<String, Object> fixed = byLambda.getOrDefault(lambda0, new TreeMap<>()).get(width);
            double fixedRobust = fixed == null ? Double.NaN : num(fixed, "robust_accuracy");
            double best = Double.NaN;
            double bestLambda = Double.NaN;
            for (Map.Entry<Double, TreeMap<Double, Map<String, Object>>> l : byLambda.entrySet()) {
                Map<String, Object> r = l.getValue().get(width);
                if (r != null && !(num(r, "robust_accuracy") <= best)) {
                    best = num(r, "robust_accuracy");
                    bestLambda = l.getKey();
                }
            }
            if (Double.isNaN(warRobust) || Double.isNaN(fixedRobust)) {
                continue;
            }
            tested++;
            int sign = beyondNoise(fixed, e.getValue(), "robust_accuracy");
            boolean ok = sign > 0;
            held += ok ? 1 : 0;
            contrary += sign < 0 ? 1 : 0;
            d.add(String.format(Locale.ROOT, "width %s: WAR robust accuracy %s (final λ %s) against %s with the fixed "
                            + "λ₀ = %s (%s); the best λ of the grid at this width, %s, reached %s.", fmt(width),
                    pct(warRobust), fmtOrNotRecorded(num(e.getValue(), "lambda_final")), pct(fixedRobust),
                    fmt(lambda0), signed(warRobust - fixedRobust) + noise(fixed, e.getValue(), "robust_accuracy"),
                    fmt(bestLambda), pct(best))
                    + (ok ? "" : sign < 0 ? " WAR did not gain here." : " WAR's gain is not shown beyond noise.")
                    + (neverMoved(e.getValue(), lambda0) ? " Every batch trained at λ₀: its ρ never rose above ρ_ref, "
                            + "or the run was no longer than the rule's update interval (--war-interval); WAR was not "
                            + "exercised here." : ""));
        }
        TuningCost c = TuningCost.of(rows);
        if (c.fullGridExamples() > 0) {
            d.add(String.format(Locale.ROOT, "Tuning cost: a λ grid at every width trained %s examples (%.2f h here); "
                            + "a grid at the reference width plus one WAR run per wider width, %s examples (%.2f h), %.0f%% "
                            + "of it.", count(c.fullGridExamples()), c.fullGridHours(), count(c.warExamples()),
                    c.warHours(), 100 * c.warExamples() / c.fullGridExamples()));
            if (!(c.warExamples() < c.fullGridExamples())) {
                held = 0;
                contrary = tested;
            }
        }
        if (tested == 0) {
            d.add(0, "No width wider than the reference has both a WAR point and a fixed-λ₀ point.");
        } else {
            d.add(NOISE_RULE);
        }
        return new Finding(CLAIMS.get(2), Verdict.of(held, contrary, tested), d);
    }

    /**
     * The compute of tuning λ: a full grid of fixed λs at every width against the grid at the reference width plus
     * one WAR run per wider width (at the reference width λ₀ is already tuned; a WAR run there is only a check),
     * in training examples and hours of training on the machine(s) that ran the study.
     */
    public record TuningCost(double fullGridExamples, double fullGridHours, double warExamples, double warHours) {
        /** From the rows; the reference width is that of the WAR points' reference run (else the narrowest). */
        public static TuningCost of(List<Map<String, Object>> rows) {
            String ref = null;
            double narrow = Double.POSITIVE_INFINITY;
            for (Map<String, Object> r : rows) {
                if ("war".equals(r.get("kind")) && r.get("reference") != null) {
                    ref = r.get("reference").toString();
                }
                narrow = Math.min(narrow, num(r, "width"));
            }
            double refWidth = narrow;
            for (Map<String, Object> r : rows) {
                if (ref != null && ref.equals(r.get("point"))) {
                    refWidth = num(r, "width");
                }
            }
            double ge = 0;
            double gs = 0;
            double we = 0;
            double ws = 0;
            for (Map<String, Object> r : rows) {
                double ex = zeroIfNaN(num(r, "train_examples"));
                double s = zeroIfNaN(num(r, "train_seconds"));
                if ("war".equals(r.get("kind"))) {
                    if (num(r, "width") > refWidth) { // at the reference width λ₀ is already tuned
                        we += ex;
                        ws += s;
                    }
                } else {
                    ge += ex;
                    gs += s;
                    if (num(r, "width") == refWidth) {
                        we += ex;
                        ws += s;
                    }
                }
            }
            return new TuningCost(ge, gs / 3600, we, ws / 3600);
        }

        private static double zeroIfNaN(double v) {
            return Double.isNaN(v) ? 0 : v;
        }
    }

    /**
     * A note when the difference of an accuracy between two rows is within two standard errors of the difference
     * (binomial, on each row's {@code eval_examples} test images): {@code ", within noise (±2.7)"}; empty otherwise
     * or when the evaluation size is not recorded.
     */
    static String noise(Map<String, Object> a, Map<String, Object> b, String column) {
        return withinNoise(a, b, column) ? String.format(Locale.ROOT, ", within noise: two standard errors are "
                + "±%.1f", 200 * standardError(a, b, column)) : "";
    }

    /**
     * Whether the difference is within two standard errors (see {@link #noise}); false when they are unknown. Equal
     * values are always within noise, also where both accuracies are 0 or 1 and the binomial standard error is 0.
     */
    static boolean withinNoise(Map<String, Object> a, Map<String, Object> b, String column) {
        double se = standardError(a, b, column);
        return !Double.isNaN(se) && Math.abs(num(a, column) - num(b, column)) <= 2 * se;
    }

    /**
     * The binomial standard error of the difference of an accuracy between two rows, with Agresti and Coull's adjusted
     * proportions; NaN when unknown.
     */
    private static double standardError(Map<String, Object> a, Map<String, Object> b, String column) {
        double pa = num(a, column);
        double pb = num(b, column);
        double na = num(a, "eval_examples");
        double nb = num(b, "eval_examples");
        if (Double.isNaN(pa) || Double.isNaN(pb) || !(na > 0) || !(nb > 0)) {
            return Double.NaN;
        }
        // Agresti and Coull's adjusted proportions (two successes and two failures added): at 0% or 100% the plain
        // binomial error is 0, and any difference, however small, would count as beyond noise
        double ta = (pa * na + 2) / (na + 4);
        double tb = (pb * nb + 2) / (nb + 4);
        return Math.sqrt(ta * (1 - ta) / (na + 4) + tb * (1 - tb) / (nb + 4));
    }

    private static final String NOISE_RULE = "Rule: a difference within two binomial standard errors on the test "
            + "images shows nothing (where the number of test images is not recorded, the sign alone decides).";

    /**
     * Whether every batch of a WAR point trained at λ₀: its mean λ over the batches is λ₀ (the last λ may differ when
     * the rule updated only after the last batch).
     */
    private static boolean neverMoved(Map<String, Object> war, double lambda0) {
        double mean = num(war, "lambda_mean");
        return !Double.isNaN(mean) && Math.abs(mean - lambda0) <= 1e-9 * Math.max(1, lambda0);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "?" : org.widerobust.plugin.sweep.SweepPoint.format(v);
    }

    private static String fmtOrNotRecorded(double v) {
        return Double.isNaN(v) ? "not recorded" : String.format(Locale.ROOT, "%.3g", v);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "not recorded" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String pp(double a, double b) {
        return pct(a) + " → " + pct(b);
    }

    private static String signed(double d) {
        return String.format(Locale.ROOT, "%+.1f points", 100 * d);
    }

    private static String num3(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
