package org.widerobust.plugin.train.war;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The λ rules on synthetic risk sequences. */
class LambdaRuleTest {
    private static final double LAMBDA0 = 6;

    private static RatioRule ratio(double rhoRef) {
        return RatioRule.builder().referenceRatio(rhoRef).build();
    }

    @Test
    void ratioRaisesLambdaWhenTheWideNetworkIsLessStable() {
        LambdaController c = ratio(0.1).start(LAMBDA0, 4);
        int interval = RatioRule.DEFAULT_INTERVAL;
        double previous = LAMBDA0;
        for (int b = 1; b <= 5 * interval; b++) {
            c.observe(1.0, 0.2); // rho_t = 0.2 > rho_ref = 0.1
            if (b % interval != 0) {
                assertEquals(previous, c.lambda(), 0, "lambda changes only every interval batches");
            } else {
                assertEquals(Math.min(previous * Math.pow(2, RatioRule.DEFAULT_GAMMA),
                        RatioRule.DEFAULT_MAX_FACTOR * LAMBDA0), c.lambda(), 1e-12, "update at batch " + b);
                assertTrue(c.lambda() > previous || c.lambda() == RatioRule.DEFAULT_MAX_FACTOR * LAMBDA0);
                previous = c.lambda();
            }
            assertEquals(0.2, c.ratio(), 1e-12);
        }
        assertTrue(c.lambda() > LAMBDA0);
    }

    @Test
    void ratioKeepsLambdaZeroWhenTheWideNetworkIsStabler() {
        LambdaController c = ratio(0.5).start(LAMBDA0, 4);
        for (int b = 0; b < 200; b++) {
            c.observe(1.0 + 0.1 * Math.sin(b), 0.2);
            assertEquals(LAMBDA0, c.lambda(), 0, "never below lambda0");
        }
    }

    @Test
    void ratioRespectsLambdaMax() {
        LambdaController c = RatioRule.builder().referenceRatio(0.01).lambdaMax(9).interval(1).gamma(1).build()
                .start(LAMBDA0, 8);
        for (int b = 0; b < 50; b++) {
            c.observe(0.5, 2.0);
            assertTrue(c.lambda() <= 9, "lambda " + c.lambda());
        }
        assertEquals(9, c.lambda(), 0);
        assertEquals(4 * LAMBDA0, ratio(1).lambdaMax(LAMBDA0), 0, "default lambda_max");
        assertThrows(IllegalArgumentException.class, () -> RatioRule.builder().referenceRatio(1).lambdaMax(3).build()
                .start(LAMBDA0, 1), "lambda_max below lambda0");
    }

    @Test
    void ratioIsAMovingAverageOfTheRisks() {
        LambdaController c = RatioRule.builder().referenceRatio(1).window(3).build().start(1, 1);
        c.observe(1, 1);
        c.observe(1, 3); // EMA with smoothing 2/(3+1) = 0.5: R_rob 2, R_nat 1
        assertEquals(2.0, c.ratio(), 1e-12);
        assertTrue(Double.isNaN(ratio(1).start(1, 1).ratio()), "no batch seen yet");
    }

    /**
     * A closed loop with the defaults: the network's robust term relaxes towards {@code 0.4·(6/λ)^0.7} with a lag of
     * 50 batches and 20% batch noise. The rule settles near the λ where ρ = ρ_ref (here 12) within a few hundred
     * batches and stays there rather than oscillating (bench/war_controller_sim.py explores other lags and settings).
     */
    @Test
    void ratioSettlesInAClosedLoop() {
        double rhoRef = 0.4 * Math.pow(0.5, 0.7);
        LambdaController c = ratio(rhoRef).start(LAMBDA0, 4);
        SplittableRandom rnd = new SplittableRandom(3);
        List<Double> trajectory = new ArrayList<>();
        double rho = 0.4;
        for (int b = 0; b < 2000; b++) {
            rho += (0.4 * Math.pow(LAMBDA0 / c.lambda(), 0.7) - rho) / 50;
            c.observe(1.0, rho * (1 + 0.2 * (rnd.nextDouble() - 0.5) * 2));
            trajectory.add(c.lambda());
        }
        List<Double> tail = trajectory.subList(500, 2000);
        double min = tail.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = tail.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(min > 11 && max < 13, "settled near 12: [" + min + ", " + max + "]");
        double peak = trajectory.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(peak < 12 * 1.25, "overshoot below 25%: peak " + peak);
    }

    @Test
    void stateRestoresTheExactTrajectory() {
        LambdaController a = ratio(0.1).start(LAMBDA0, 2);
        for (int b = 0; b < 37; b++) {
            a.observe(1, 0.1 + b * 0.01);
        }
        LambdaController b = ratio(0.1).start(LAMBDA0, 2);
        b.restore(a.state());
        for (int i = 0; i < 30; i++) {
            a.observe(1, 0.3);
            b.observe(1, 0.3);
        }
        assertArrayEquals(a.state(), b.state(), 0);
        assertThrows(IllegalArgumentException.class, () -> b.restore(new double[2]));
    }

    @Test
    void powerGivesItsFormula() {
        PowerRule p = new PowerRule(0.5, 1);
        LambdaController c = p.start(LAMBDA0, 4);
        assertEquals(12, c.lambda(), 1e-12);
        for (int b = 0; b < 100; b++) {
            c.observe(1, 5);
        }
        assertEquals(12, c.lambda(), 1e-12, "constant during the run");
        assertEquals(6 * Math.pow(10 / 2.0, 1.5), new PowerRule(1.5, 2).lambda(6, 10), 1e-12);
        assertEquals(LAMBDA0, new PowerRule(2, 3).lambda(LAMBDA0, 3), 0, "lambda0 at the reference width");
        assertThrows(PropertyException.class, () -> new PowerRule(1, 0));
        assertThrows(PropertyException.class, () -> new PowerRule(Double.NaN, 1));
    }

    @Test
    void fixedKeepsLambdaAndRecordsTheRatio() {
        LambdaController c = new FixedLambda().start(2, 8);
        for (int b = 0; b < 100; b++) {
            c.observe(1, 3);
        }
        assertEquals(2, c.lambda(), 0);
        assertEquals(3, c.ratio(), 1e-12);
    }

    @Test
    void ratioNeedsExactlyOneReference() {
        assertThrows(PropertyException.class, () -> RatioRule.builder().build());
        assertThrows(PropertyException.class, () -> RatioRule.builder().referenceRatio(0.2)
                .referenceModel(java.nio.file.Path.of("x.tribuo")).build());
        PropertyException e = assertThrows(PropertyException.class, () -> RatioRule.builder()
                .referenceModel(java.nio.file.Path.of("/nonexistent/model.tribuo")).build());
        assertTrue(e.getMessage().contains("/nonexistent/model.tribuo"), e.getMessage());
        assertThrows(PropertyException.class, () -> RatioRule.builder().referenceRatio(-1).build());
        assertThrows(PropertyException.class, () -> RatioRule.builder().referenceRatio(1).gamma(0).build());
        assertThrows(PropertyException.class, () -> RatioRule.builder().referenceRatio(1).interval(0).build());
    }
}
