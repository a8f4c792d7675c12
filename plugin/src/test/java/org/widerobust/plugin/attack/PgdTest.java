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

/** PGD and FGSM on the PyTorch fixtures, against PyTorch's own PGD-20. */
class PgdTest {
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
    void pgd20ReproducesPyTorch(String model) {
        Fixture f = fixtures.get(model);
        int n = f.y.length;
        long t0 = System.nanoTime();
        AttackResult r = Pgd.classic(0.03, 20, 0.0075).attack(f.target, f.x, f.y, n, 0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double acc = r.robustAccuracy(f.y);
        double ref = f.reference.get("pgd20_robust_accuracy").asDouble();
        int agree = 0;
        for (int i = 0; i < n; i++) {
            agree += r.predictions()[i] == f.pgd20Pred[i] ? 1 : 0;
        }
        System.out.printf("PGD-20 %s: robust %.4f (PyTorch %.4f), predictions agree %d/%d, %.1fs%n",
                model, acc, ref, agree, n, seconds);
        assertEquals(ref, acc, 0.02, model + " robust accuracy");
        assertTrue(agree >= 0.95 * n, model + ": only " + agree + " predictions agree");
        Checks.insideThreatModel(r, f.x, n, f.len, Norm.LINF, 0.03, f.target.inputBounds());
        Checks.predictionsAreTrue(r, f.target, n);
    }

    @Test
    void earlyStopGivesTheSameRobustAccuracyWithLessWork() {
        Fixture f = fixtures.get("cnn");
        int n = 128;
        AttackResult plain = Pgd.classic(0.03, 20, 0.0075).attack(f.target, f.x(n), f.y(n), n, 0);
        AttackResult early = new Pgd(0.03, Norm.LINF, 20, 0.0075, 1, false, true, "ce")
                .attack(f.target, f.x(n), f.y(n), n, 0);
        // early-stopped examples are misclassified; the others follow the same trajectory
        assertTrue(early.robustCount(f.y) <= plain.robustCount(f.y) + 2);
        int work = 0;
        int plainWork = 0;
        for (int i = 0; i < n; i++) {
            work += early.iterations()[i];
            plainWork += plain.iterations()[i];
        }
        assertTrue(work < plainWork, "early stop spent " + work + " steps, plain " + plainWork);
        Checks.predictionsAreTrue(early, f.target, n);
    }

    /** Finding 2 at the attack: early stop only skips work; the reported points are the same. */
    @ParameterizedTest
    @ValueSource(strings = {"ce", "kl"})
    void earlyStopReportsTheSamePointsAsAFullRun(String loss) {
        Fixture f = fixtures.get("mlp");
        int n = 64;
        AttackResult full = new Pgd(0.03, Norm.LINF, 10, 0, 1, true, false, loss).attack(f.target, f.x(n), f.y(n),
                n, 4);
        AttackResult early = new Pgd(0.03, Norm.LINF, 10, 0, 1, true, true, loss).attack(f.target, f.x(n), f.y(n),
                n, 4);
        org.junit.jupiter.api.Assertions.assertArrayEquals(full.adversarial(), early.adversarial());
        org.junit.jupiter.api.Assertions.assertArrayEquals(full.predictions(), early.predictions());
        // adversarial training keeps the last iterate, which may have slid back to the right class
        AttackResult last = Pgd.adversarialTraining(0.03, 10, 0.0075).attack(f.target, f.x(n), f.y(n), n, 4);
        AttackResult witness = new Pgd(0.03, Norm.LINF, 10, 0.0075, 1, true, false, "ce").attack(f.target, f.x(n),
                f.y(n), n, 4);
        assertTrue(witness.robustCount(f.y(n)) <= last.robustCount(f.y(n)));
        assertTrue(Pgd.adversarialTraining(0.03, 10, 0.0075).getProvenance().toString().contains("lastIterate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce", "kl", "cw", "dlr"})
    void everyLossStaysInsideTheL2AndLinfBalls(String loss) {
        Fixture f = fixtures.get("mlp");
        int n = 64;
        for (Norm norm : Norm.values()) {
            double eps = norm == Norm.LINF ? 0.05 : 1.0;
            AttackResult r = new Pgd(eps, norm, 5, 0, 2, true, true, loss).attack(f.target, f.x(n), f.y(n), n, 3);
            Checks.insideThreatModel(r, f.x(n), n, f.len, norm, eps, f.target.inputBounds());
            Checks.predictionsAreTrue(r, f.target, n);
            assertTrue(r.robustCount(f.y) < n * f.cleanAccuracy(n), loss + "/" + norm + " did not hurt");
        }
    }

    @Test
    void fgsmIsWeakerThanPgdAndInsideTheBall() {
        Fixture f = fixtures.get("cnn");
        int n = 128;
        for (Norm norm : Norm.values()) {
            double eps = norm == Norm.LINF ? 0.03 : 1.0;
            AttackResult r = new Fgsm(eps, norm).attack(f.target, f.x(n), f.y(n), n, 0);
            Checks.insideThreatModel(r, f.x(n), n, f.len, norm, eps, f.target.inputBounds());
            Checks.predictionsAreTrue(r, f.target, n);
            assertTrue(r.robustCount(f.y) <= n * f.cleanAccuracy(n));
        }
    }

    @Test
    void largeInputsAreSplitIntoBatches() {
        Fixture f = fixtures.get("cnn");
        int n = 200;
        Pgd whole = Pgd.classic(0.03, 5, 0.0075);
        Pgd split = Pgd.classic(0.03, 5, 0.0075);
        split.withBatchSize(64);
        AttackResult a = whole.attack(f.target, f.x(n), f.y(n), n, 0);
        AttackResult b = split.attack(f.target, f.x(n), f.y(n), n, 0);
        int same = 0;
        for (int i = 0; i < n; i++) {
            same += a.predictions()[i] == b.predictions()[i] ? 1 : 0;
        }
        assertTrue(same >= n - 2, same + " of " + n);
        Checks.insideThreatModel(b, f.x(n), n, f.len, Norm.LINF, 0.03, f.target.inputBounds());
        Checks.predictionsAreTrue(b, f.target, n);
    }

    @Test
    void sameSeedSameResult() {
        Fixture f = fixtures.get("mlp");
        int n = 64;
        Pgd pgd = new Pgd(0.03, Norm.L2, 5, 0, 2, true, false, "ce");
        AttackResult a = pgd.attack(f.target, f.x(n), f.y(n), n, 42);
        AttackResult b = pgd.attack(f.target, f.x(n), f.y(n), n, 42);
        Checks.sameResult(a, b);
    }

    @Test
    void validation() {
        assertThrows(PropertyException.class, () -> new Pgd(0, Norm.LINF, 20, 0, "ce"));
        assertThrows(PropertyException.class, () -> new Pgd(-0.1, Norm.LINF, 20, 0, "ce"));
        assertThrows(PropertyException.class, () -> new Pgd(Double.NaN, Norm.LINF, 20, 0, "ce"));
        assertThrows(PropertyException.class, () -> new Pgd(Double.POSITIVE_INFINITY, Norm.LINF, 20, 0, "ce"));
        assertThrows(PropertyException.class, () -> new Pgd(0.1, Norm.LINF, 0, 0, "ce"));
        assertThrows(PropertyException.class, () -> new Pgd(0.1, Norm.LINF, 10, -1, "ce"));
        assertThrows(PropertyException.class, () -> new Pgd(0.1, Norm.LINF, 10, Double.NaN, "ce"));
        PropertyException e = assertThrows(PropertyException.class, () -> new Pgd(0.1, Norm.LINF, 10, 0, "hinge"));
        assertTrue(e.getMessage().contains("hinge"), e.getMessage());
        assertThrows(PropertyException.class, () -> new Fgsm(0.1, Norm.LINF, "nope"));
        assertThrows(PropertyException.class, () -> new Fgsm(0, Norm.L2));
    }

    @Test
    void provenanceRecordsTheConfiguration() {
        Pgd pgd = new Pgd(0.03, Norm.L2, 7, 0.01, "cw");
        String p = pgd.getProvenance().toString();
        assertTrue(p.contains("steps") && p.contains("7") && p.contains("cw"), p);
        assertEquals("pgd-cw-7", pgd.name());
    }

    /** The label names the restarts, and restarts without a random start, which would repeat one run, are refused. */
    @Test
    void restartsAreInTheLabelAndNeedARandomStart() {
        assertEquals("pgd-5x3", new Pgd(0.1, Norm.LINF, 5, 0, 3, true, true, "ce").name());
        assertEquals("pgd-5", new Pgd(0.1, Norm.LINF, 5, 0, 1, false, true, "ce").name());
        org.junit.jupiter.api.Assertions.assertThrows(com.oracle.labs.mlrg.olcut.config.PropertyException.class,
                () -> new Pgd(0.1, Norm.LINF, 5, 0, 3, false, true, "ce"));
    }
}
