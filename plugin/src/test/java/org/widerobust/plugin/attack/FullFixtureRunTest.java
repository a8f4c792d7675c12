package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.adapters.engine.CpuEngineTest;

/**
 * Full-budget numbers on all 256 fixture examples (slow; run with {@code -Dwiderobust.attack.full=true}):
 * PGD-20, APGD-CE and APGD-T (100 iterations), FAB-T (100 iterations, 9 targets), Square (5000 queries) and the
 * standard AutoAttack at ε = 0.03; the standard version's robust accuracy is at most each attack's.
 */
@EnabledIfSystemProperty(named = "widerobust.attack.full", matches = "true")
class FullFixtureRunTest extends CpuEngineTest {
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "miniwrn"})
    void fullBudget(String model) {
        try (Fixture f = Fixture.load(model, engine)) {
            int n = f.y.length;
            double eps = 0.03;
            StringBuilder sb = new StringBuilder(model + String.format(": clean %.4f", f.cleanAccuracy(n)));
            Attack[] attacks = {Pgd.classic(eps, 20, 0.0075), Apgd.ce(eps, Norm.LINF), Apgd.targeted(eps, Norm.LINF),
                    Fab.standardTargeted(eps, Norm.LINF), new SquareAttack(eps, 5000)};
            int[] counts = new int[attacks.length];
            for (int a = 0; a < attacks.length; a++) {
                long t0 = System.nanoTime();
                AttackResult r = attacks[a].attack(f.target, f.x, f.y, n, 0);
                counts[a] = r.robustCount(f.y);
                sb.append(String.format(", %s %.4f [%.0fs]", attacks[a].name(), r.robustAccuracy(f.y),
                        (System.nanoTime() - t0) / 1e9));
            }
            long t0 = System.nanoTime();
            CascadeResult c = AttackCascade.standard(eps, Norm.LINF).run(f.target, f.x, f.y, n, 0);
            sb.append(String.format(", autoattack %.4f %s [%.0fs]", c.robustCount() / (double) n,
                    java.util.Arrays.toString(c.robustAfter()), (System.nanoTime() - t0) / 1e9));
            System.out.println("FULL " + sb);
            for (int k : counts) {
                assertTrue(c.robustCount() <= k);
            }
        }
    }
}
