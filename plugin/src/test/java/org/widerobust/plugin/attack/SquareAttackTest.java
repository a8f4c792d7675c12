package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;

/** The score-based Square attack sees only logits. */
class SquareAttackTest {
    private static Engine engine;
    private static Fixture cnn;

    @BeforeAll
    static void start() {
        engine = Engine.create(DeviceSpec.CPU, 2);
        cnn = Fixture.load("cnn", engine);
    }

    @AfterAll
    static void stop() {
        cnn.close();
        engine.close();
    }

    /** The model as a black box: scores only, no gradients. */
    private static AttackTarget blackBox(AttackTarget t) {
        return new AttackTarget() {
            public long[] exampleShape() { return t.exampleShape(); }
            public int exampleLength() { return t.exampleLength(); }
            public int numClasses() { return t.numClasses(); }
            public float[] inputBounds() { return t.inputBounds(); }
            public void logits(float[] x, int n, float[] out) { t.logits(x, n, out); }
            public long queries() { return t.queries(); }
        };
    }

    @Test
    void lowersAccuracyWithLogitsOnly() {
        int n = 64;
        AttackTarget box = blackBox(cnn.target);
        long q0 = box.queries();
        long t0 = System.nanoTime();
        AttackResult r = new SquareAttack(0.1, 300).attack(box, cnn.x(n), cnn.y(n), n, 0);
        double s = (System.nanoTime() - t0) / 1e9;
        long spent = box.queries() - q0;
        double clean = cnn.cleanAccuracy(n);
        System.out.printf("Square(300 queries) cnn n=%d eps=0.1: clean %.4f -> robust %.4f, %d queries, %.1fs%n",
                n, clean, r.robustAccuracy(cnn.y(n)), spent, s);
        assertTrue(r.robustAccuracy(cnn.y(n)) < clean - 0.1);
        Checks.insideThreatModel(r, cnn.x(n), n, cnn.len, Norm.LINF, 0.1, cnn.target.inputBounds());
        Checks.predictionsAreTrue(r, cnn.target, n);
        long total = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(r.iterations()[i] >= 1 && r.iterations()[i] <= 300);
            total += r.iterations()[i];
            // broken examples stop; robust ones use the whole budget
            if (r.predictions()[i] == cnn.y[i]) {
                assertEquals(300, r.iterations()[i]);
            }
        }
        assertEquals(total, spent);
    }

    @Test
    void sameSeedSameResult() {
        int n = 16;
        SquareAttack sq = new SquareAttack(0.05, 50);
        Checks.sameResult(sq.attack(cnn.target, cnn.x(n), cnn.y(n), n, 9),
                sq.attack(cnn.target, cnn.x(n), cnn.y(n), n, 9));
    }

    @Test
    void pScheduleFollowsTheReference() {
        SquareAttack sq = new SquareAttack(0.1, 10000);
        assertEquals(0.8, sq.p(0));
        assertEquals(0.8, sq.p(10));
        assertEquals(0.4, sq.p(11));
        assertEquals(0.2, sq.p(51));
        assertEquals(0.8 / 512, sq.p(9000));
        SquareAttack small = new SquareAttack(0.1, 1000);
        assertEquals(0.4, small.p(2));
        assertEquals(0.8, small.p(1));
    }

    @Test
    void validation() {
        assertThrows(PropertyException.class, () -> new SquareAttack(0, 100));
        assertThrows(PropertyException.class, () -> new SquareAttack(0.1, 0));
        assertThrows(PropertyException.class, () -> new SquareAttack(0.1, 10, 1.5));
    }
}
