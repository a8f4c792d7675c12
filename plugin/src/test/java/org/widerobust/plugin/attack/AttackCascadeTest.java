package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;

/**
 * The AutoAttack-style cascade is at least as strong as each of its attacks: the standard version (APGD-CE, APGD-T,
 * FAB-T, Square, small budgets) on the three PyTorch fixtures at ε = 0.03 (full budgets: {@link FullFixtureRunTest}).
 */
class AttackCascadeTest {
    private static Engine engine;
    private static Fixture mlp;
    private static Fixture cnn;
    private static Fixture miniwrn;

    @BeforeAll
    static void start() {
        engine = Engine.create(DeviceSpec.CPU, 2);
        mlp = Fixture.load("mlp", engine);
        cnn = Fixture.load("cnn", engine);
        miniwrn = Fixture.load("miniwrn", engine);
    }

    @AfterAll
    static void stop() {
        mlp.close();
        cnn.close();
        miniwrn.close();
        engine.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "miniwrn"})
    void cascadeIsNoWeakerThanAnyOfItsAttacks(String model) {
        Fixture f = model.equals("mlp") ? mlp : model.equals("cnn") ? cnn : miniwrn;
        int n = model.equals("miniwrn") ? 48 : 96;
        float[] x = f.x(n);
        int[] y = f.y(n);
        AttackCascade cascade = AttackCascade.standard(0.03, Norm.LINF, 30, 10, 200);
        long t0 = System.nanoTime();
        CascadeResult c = cascade.run(f.target, x, y, n, 1);
        double s = (System.nanoTime() - t0) / 1e9;
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < cascade.attacks().size(); a++) {
            Attack attack = cascade.attacks().get(a);
            AttackResult alone = attack.attack(f.target, x, y, n, 1 + a);
            sb.append(String.format(" %s alone %.4f;", attack.name(), alone.robustAccuracy(y)));
            assertTrue(c.robustCount() <= alone.robustCount(y), attack.name());
            assertTrue(c.robustAfter()[a] <= (a == 0 ? c.cleanCorrect() : c.robustAfter()[a - 1]));
        }
        System.out.printf("cascade %s n=%d eps=0.03: clean %d, robust after each %s -> %.4f [%.1fs];%s%n",
                model, n, c.cleanCorrect(), java.util.Arrays.toString(c.robustAfter()),
                c.robustCount() / (double) n, s, sb);
        assertEquals(c.robustCount(), c.result().robustCount(y));
        int brokenSum = 0;
        for (int a = 0; a < cascade.attacks().size(); a++) {
            brokenSum += c.brokenCount(a);
        }
        assertEquals(c.cleanCorrect() - c.robustCount(), brokenSum);
        for (int i = 0; i < n; i++) {
            boolean robust = c.result().predictions()[i] == y[i];
            assertEquals(robust, c.brokenBy()[i] == CascadeResult.NONE, "example " + i);
        }
        Checks.insideThreatModel(c.result(), x, n, f.len, Norm.LINF, 0.03, f.target.inputBounds());
        Checks.predictionsAreTrue(c.result(), f.target, n);
    }

    @Test
    void l2CascadeStaysInsideTheBall() {
        int n = 32;
        CascadeResult c = AttackCascade.standard(0.5, Norm.L2, 10, 5, 100).run(mlp.target, mlp.x(n), mlp.y(n), n,
                0);
        assertEquals(List.of("apgd-ce-10", "apgd-t-10", "fab-t-5"), c.attackNames());
        Checks.insideThreatModel(c.result(), mlp.x(n), n, mlp.len, Norm.L2, 0.5, mlp.target.inputBounds());
    }

    @Test
    void validation() {
        assertThrows(PropertyException.class, () -> new AttackCascade(List.of()));
        assertThrows(PropertyException.class, () -> new AttackCascade(List.of(Apgd.ce(0.03, Norm.LINF),
                new SquareAttack(0.1, 10))));
    }
}
