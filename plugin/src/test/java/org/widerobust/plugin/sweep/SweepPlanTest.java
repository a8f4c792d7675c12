package org.widerobust.plugin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;

/** The pure planning of a study: its points, their order, and shards that respect WAR's references. */
class SweepPlanTest {
    private static final ToDoubleFunction<SweepPoint> COST = p -> p.width() * p.width();

    private static SweepPlan paperLike() {
        return SweepPlan.of(List.of(8.0, 1.0, 4.0, 2.0), List.of(12.0, 1.0, 3.0, 6.0), "ratio", 1, 6, false);
    }

    @Test
    void everyPairPlusOneWarRunPerWidth() {
        SweepPlan plan = paperLike();
        assertEquals(4 * 4 + 4, plan.points().size());
        assertEquals("k1-lambda1", plan.points().get(0).id());
        assertEquals("k8-war-ratio", plan.points().get(plan.points().size() - 1).id());
        for (SweepPoint p : plan.points()) {
            if (p.isWar()) {
                assertEquals("k1-lambda6", p.referenceId());
                assertEquals(6, p.lambda());
            } else {
                assertNull(p.referenceId());
            }
        }
    }

    @Test
    void aWarPointComesAfterItsReferenceAndInTheSameShard() {
        SweepPlan plan = paperLike();
        List<SweepPoint> all = plan.points();
        for (SweepPoint p : all) {
            if (p.referenceId() != null) {
                assertTrue(all.indexOf(plan.find(p.referenceId())) < all.indexOf(p), p.id());
            }
        }
        for (int n = 1; n <= 5; n++) {
            for (int i = 1; i <= n; i++) {
                List<SweepPoint> mine = plan.shard(new Shard(i, n), COST);
                for (SweepPoint p : mine) {
                    if (p.referenceId() != null) {
                        SweepPoint ref = plan.find(p.referenceId());
                        assertTrue(mine.contains(ref), p.id() + " without its reference in shard " + i + "/" + n);
                        assertTrue(mine.indexOf(ref) < mine.indexOf(p));
                    }
                }
            }
        }
    }

    @Test
    void shardsPartitionThePlanDeterministicallyAndBalanceTheWork() {
        SweepPlan plan = paperLike();
        for (int n = 1; n <= 6; n++) {
            List<SweepPoint> union = new ArrayList<>();
            Set<SweepPoint> seen = new HashSet<>();
            double[] load = new double[n];
            for (int i = 1; i <= n; i++) {
                List<SweepPoint> mine = plan.shard(new Shard(i, n), COST);
                assertEquals(mine, paperLike().shard(new Shard(i, n), COST), "deterministic");
                for (SweepPoint p : mine) {
                    assertTrue(seen.add(p), p.id() + " in two shards");
                    load[i - 1] += COST.applyAsDouble(p);
                }
                union.addAll(mine);
            }
            assertEquals(plan.points().size(), union.size());
            if (n == 2) {
                // the largest group is one k=8 point (64); the rest balances around it
                assertTrue(Math.abs(load[0] - load[1]) <= 64, java.util.Arrays.toString(load));
            }
        }
    }

    @Test
    void aReferenceOutsideTheGridIsAdded() {
        SweepPlan plan = SweepPlan.of(List.of(1.0, 2.0), List.of(1.0, 3.0), "ratio", 1, 6, false);
        assertEquals(4 + 1 + 2, plan.points().size());
        assertTrue(plan.find("k1-lambda6") != null);
    }

    @Test
    void aReferenceWidthWiderThanTheSmallestWidthIsAnError() {
        // WAR enlarges a λ tuned on a narrower network: k0 = 3 cannot guide widths 1 and 2
        for (String rule : List.of("ratio", "power")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(
                    List.of(1.0, 2.0), List.of(6.0), rule, 3, 6, false));
            assertTrue(e.getMessage().contains("--war-reference-width"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(List.of(1.0, 2.0), List.of(6.0), rule,
                    0, 6, false));
        }
        // the smallest width itself, or a narrower one (added as the reference run), is fine
        assertEquals(4, SweepPlan.of(List.of(1.0, 2.0), List.of(6.0), "ratio", 1, 6, false).points().size());
        SweepPlan narrower = SweepPlan.of(List.of(1.0, 2.0), List.of(6.0), "ratio", 0.5, 6, false);
        assertEquals("k0.5-lambda6", narrower.points().get(0).id());
        // without WAR the reference width means nothing
        assertEquals(2, SweepPlan.of(List.of(1.0, 2.0), List.of(6.0), null, 3, 6, false).points().size());
    }

    @Test
    void givenRatioOrPowerRuleNeedsNoReference() {
        SweepPlan ratio = SweepPlan.of(List.of(1.0, 2.0), List.of(6.0), "ratio", 1, 6, true);
        SweepPlan power = SweepPlan.of(List.of(1.0, 2.0), List.of(6.0), "power", 1, 6, false);
        assertTrue(ratio.points().stream().allMatch(p -> p.referenceId() == null));
        assertTrue(power.points().stream().allMatch(p -> p.referenceId() == null));
        assertEquals("k2-war-power", power.points().get(3).id());
    }

    @Test
    void badInputIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(List.of(), List.of(1.0), null, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(List.of(1.0), List.of(), null, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(List.of(1.0), List.of(1.0), "magic", 1, 1,
                false));
        assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(List.of(-1.0), List.of(1.0), null, 1, 1,
                false));
        assertThrows(IllegalArgumentException.class, () -> SweepPlan.parseList("widths", "1,x"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("3/2"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("0/2"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("1-2"));
        assertEquals(new Shard(2, 3), Shard.parse(" 2/3 "));
    }
}
