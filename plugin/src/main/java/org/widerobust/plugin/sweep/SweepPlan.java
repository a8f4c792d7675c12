package org.widerobust.plugin.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The points of a width × λ study, in an order where every WAR point comes after its reference, and their
 * deterministic split into shards. Pure: no files, no training.
 * <p>
 * The plan holds every (width, λ) pair as a fixed-λ point, then, if a WAR rule is given, one WAR point per width.
 * A {@code ratio} WAR point without a given ρ_ref depends on the fixed point at the reference width with λ₀ (added
 * to the plan if the grid lacks it); its ρ_ref is read from that run's training history.
 */
public final class SweepPlan {
    private final List<SweepPoint> points;

    private SweepPlan(List<SweepPoint> points) {
        this.points = List.copyOf(points);
    }

    /**
     * Plans a study.
     *
     * @param widths         width factors, each &gt; 0 (duplicates are dropped; the order does not matter)
     * @param lambdas        fixed λ values, each ≥ 0 (may be empty if a WAR rule is given)
     * @param war            {@code ratio}, {@code power}, or null/"none" for no WAR points
     * @param referenceWidth the width the reference λ₀ was tuned at (WAR only): &gt; 0 and not wider than the
     *                       smallest width, since WAR enlarges a λ tuned on a narrower network for wider ones (Wu et
     *                       al. 2021); a narrower one joins the plan as a fixed point where a ratio run needs it
     * @param warLambda      λ₀ (WAR only)
     * @param ratioGiven     whether ρ_ref is given as a number, so that no WAR point waits for a reference run
     * @throws IllegalArgumentException for an empty plan, an unknown rule or a WAR reference width wider than the
     *                                  smallest width
     */
    public static SweepPlan of(List<Double> widths, List<Double> lambdas, String war, double referenceWidth,
                               double warLambda, boolean ratioGiven) {
        List<Double> ws = sortedDistinct(widths);
        List<Double> ls = sortedDistinct(lambdas);
        if (ws.isEmpty()) {
            throw new IllegalArgumentException("--widths names no width");
        }
        String rule = war == null || war.isBlank() || war.equalsIgnoreCase("none") ? null
                : war.trim().toLowerCase(java.util.Locale.ROOT);
        if (rule != null && !rule.equals("ratio") && !rule.equals("power")) {
            throw new IllegalArgumentException("--war must be ratio, power or none, got '" + war + "'");
        }
        if (ls.isEmpty() && rule == null) {
            throw new IllegalArgumentException("--lambdas names no lambda and no --war rule is given");
        }
        List<SweepPoint> fixed = new ArrayList<>();
        for (double w : ws) {
            for (double l : ls) {
                fixed.add(SweepPoint.fixed(w, l));
            }
        }
        List<SweepPoint> warPoints = new ArrayList<>();
        if (rule != null && !(referenceWidth > 0 && referenceWidth <= ws.get(0))) {
            throw new IllegalArgumentException("--war-reference-width must be > 0 and not wider than the smallest "
                    + "width " + SweepPoint.format(ws.get(0)) + " (WAR enlarges a λ tuned on a narrower network), got "
                    + SweepPoint.format(referenceWidth));
        }
        if (rule != null) {
            String ref = null;
            if (rule.equals("ratio") && !ratioGiven) {
                SweepPoint reference = SweepPoint.fixed(referenceWidth, warLambda);
                if (!fixed.contains(reference)) {
                    fixed.add(reference);
                }
                ref = reference.id();
            }
            for (double w : ws) {
                warPoints.add(new SweepPoint(w, warLambda, rule, ref));
            }
        }
        fixed.sort(Comparator.comparingDouble(SweepPoint::width).thenComparingDouble(SweepPoint::lambda));
        List<SweepPoint> all = new ArrayList<>(fixed);
        all.addAll(warPoints);
        return new SweepPlan(all);
    }

    /** All points, each reference before the points that need it. */
    public List<SweepPoint> points() {
        return points;
    }

    /** The point with this id, or null. */
    public SweepPoint find(String id) {
        return points.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * The points of one shard, in plan order. A reference run and the WAR points that need it always fall into the
     * same shard, so no shard waits for another. Work groups (a reference with its WAR points, or a single point)
     * are dealt out largest first to the shard with the least work so far (ties: the lower shard), which is
     * deterministic for a deterministic {@code cost}; every point lies in exactly one shard.
     *
     * @param shard which share
     * @param cost  the relative cost of a point (for example multiply-adds per example), finite and ≥ 0
     */
    public List<SweepPoint> shard(Shard shard, ToDoubleFunction<SweepPoint> cost) {
        Objects.requireNonNull(cost, "cost");
        if (shard.count() == 1) {
            return points;
        }
        Map<String, List<SweepPoint>> groups = new LinkedHashMap<>();
        for (SweepPoint p : points) {
            String key = p.referenceId() != null ? p.referenceId() : p.id();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }
        List<List<SweepPoint>> ordered = new ArrayList<>(groups.values());
        Map<List<SweepPoint>, Integer> firstIndex = new java.util.IdentityHashMap<>();
        for (List<SweepPoint> g : ordered) {
            firstIndex.put(g, points.indexOf(g.get(0)));
        }
        ToDoubleFunction<List<SweepPoint>> groupCost = g -> g.stream().mapToDouble(cost).sum();
        ordered.sort(Comparator.comparingDouble(groupCost).reversed().thenComparing(firstIndex::get));
        double[] load = new double[shard.count()];
        List<SweepPoint> mine = new ArrayList<>();
        for (List<SweepPoint> g : ordered) {
            int target = 0;
            for (int s = 1; s < load.length; s++) {
                if (load[s] < load[target]) {
                    target = s;
                }
            }
            load[target] += groupCost.applyAsDouble(g);
            if (target == shard.index() - 1) {
                mine.addAll(g);
            }
        }
        mine.sort(Comparator.comparingInt(points::indexOf));
        return Collections.unmodifiableList(mine);
    }

    private static List<Double> sortedDistinct(List<Double> values) {
        return values.stream().distinct().sorted().toList();
    }

    /** Parses a comma-separated list of numbers, naming the option on error. */
    public static List<Double> parseList(String option, String text) {
        List<Double> out = new ArrayList<>();
        for (String item : org.widerobust.plugin.OptionValues.list(option, text)) {
            double v;
            try {
                v = org.widerobust.plugin.OptionValues.real(item);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + option + " takes comma-separated numbers or fractions such "
                        + "as 1/2, got '" + text + "'");
            }
            if (out.contains(v)) {
                throw new IllegalArgumentException("--" + option + " names " + item + " twice in '" + text + "'");
            }
            out.add(v);
        }
        return out;
    }
}
