package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** APGD-CE and APGD-T on the PyTorch fixtures. */
class ApgdTest {
    private static final int N = 128;
    private static FixtureSet fixtures;

    @BeforeAll
    static void start() {
        fixtures = new FixtureSet();
    }

    @AfterAll
    static void stop() {
        fixtures.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "miniwrn"})
    void apgdIsAtLeastAsStrongAsPgd20(String model) {
        Fixture f = fixtures.get(model);
        float[] x = f.x(N);
        int[] y = f.y(N);
        AttackResult pgd = Pgd.classic(0.03, 20, 0.0075).attack(f.target, x, y, N, 0);
        long t0 = System.nanoTime();
        AttackResult ce = new Apgd(0.03, Norm.LINF, 50, 1, "ce").attack(f.target, x, y, N, 0);
        long t1 = System.nanoTime();
        AttackResult t = new Apgd(0.03, Norm.LINF, 50, 1, "dlr-targeted").attack(f.target, x, y, N, 0);
        long t2 = System.nanoTime();
        System.out.printf("%s (n=%d, eps=0.03): clean %.4f, PGD-20 %.4f, APGD-CE(50) %.4f [%.1fs], "
                        + "APGD-T(50) %.4f [%.1fs]%n", model, N, f.cleanAccuracy(N), pgd.robustAccuracy(y),
                ce.robustAccuracy(y), (t1 - t0) / 1e9, t.robustAccuracy(y), (t2 - t1) / 1e9);
        assertTrue(ce.robustCount(y) <= pgd.robustCount(y), "APGD-CE " + ce.robustCount(y) + " > PGD "
                + pgd.robustCount(y));
        for (AttackResult r : new AttackResult[] {ce, t}) {
            Checks.insideThreatModel(r, x, N, f.len, Norm.LINF, 0.03, f.target.inputBounds());
            Checks.predictionsAreTrue(r, f.target, N);
        }
    }

    @Test
    void l2StaysInsideTheBall() {
        Fixture f = fixtures.get("cnn");
        int n = 64;
        for (String loss : new String[] {"ce", "dlr-targeted"}) {
            Apgd a = new Apgd(1.0, Norm.L2, 20, 1, loss, 3, true);
            AttackResult r = a.attack(f.target, f.x(n), f.y(n), n, 5);
            Checks.insideThreatModel(r, f.x(n), n, f.len, Norm.L2, 1.0, f.target.inputBounds());
            Checks.predictionsAreTrue(r, f.target, n);
            assertTrue(r.robustCount(f.y) < f.cleanAccuracy(n) * n, loss);
        }
    }

    @Test
    void sameSeedSameResultAndRestartsNeverHurt() {
        Fixture f = fixtures.get("mlp");
        int n = 64;
        Apgd one = new Apgd(0.03, Norm.LINF, 20, 1, "ce", 9, false);
        AttackResult a = one.attack(f.target, f.x(n), f.y(n), n, 11);
        AttackResult b = one.attack(f.target, f.x(n), f.y(n), n, 11);
        Checks.sameResult(a, b);
        AttackResult two = new Apgd(0.03, Norm.LINF, 20, 2, "ce", 9, false).attack(f.target, f.x(n), f.y(n), n, 11);
        assertTrue(two.robustCount(f.y) <= a.robustCount(f.y));
    }

    @Test
    void validation() {
        assertThrows(PropertyException.class, () -> new Apgd(0, Norm.LINF, 100, 1, "ce"));
        assertThrows(PropertyException.class, () -> new Apgd(Double.NaN, Norm.LINF, 100, 1, "ce"));
        assertThrows(PropertyException.class, () -> new Apgd(0.1, Norm.LINF, 0, 1, "ce"));
        assertThrows(PropertyException.class, () -> new Apgd(0.1, Norm.LINF, 10, 0, "ce"));
        assertThrows(PropertyException.class, () -> new Apgd(0.1, Norm.LINF, 10, 1, "xent"));
        assertEquals("apgd-t-100", Apgd.targeted(0.1, Norm.L2).name());
        assertEquals("apgd-ce-100", Apgd.ce(0.1, Norm.L2).name());
    }

    @Test
    void targetedNeedsFourClasses() {
        AttackTarget three = new AttackTarget() {
            public long[] exampleShape() { return new long[] {2}; }
            public int exampleLength() { return 2; }
            public int numClasses() { return 3; }
            public float[] inputBounds() { return new float[] {0, 1}; }
            public void logits(float[] x, int n, float[] out) { }
            public long queries() { return 0; }
        };
        GradientTarget g = new GradientTarget() {
            public long[] exampleShape() { return three.exampleShape(); }
            public int exampleLength() { return 2; }
            public int numClasses() { return 3; }
            public float[] inputBounds() { return three.inputBounds(); }
            public void logits(float[] x, int n, float[] out) { }
            public long queries() { return 0; }
            public void lossGradient(String l, float[] x, int n, org.widerobust.adapters.network.LossTargets t,
                                     float[] gr, float[] lo, float[] z) { }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Apgd.targeted(0.1, Norm.LINF).attack(g, new float[2], new int[1], 1, 0));
        assertTrue(e.getMessage().contains("4 classes"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Apgd.ce(0.1, Norm.LINF).attack(three, new float[2], new int[1], 1, 0));
    }
}
