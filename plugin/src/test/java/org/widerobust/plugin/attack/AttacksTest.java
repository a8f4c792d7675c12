package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The registry of attacks by name. */
class AttacksTest {
    @Test
    void createsEveryKnownAttack() {
        AttackOptions o = AttackOptions.of(0.03, Norm.LINF);
        for (String name : Attacks.names()) {
            Attack a = Attacks.create(name, o);
            assertEquals(0.03, a.epsilon());
            assertEquals(Norm.LINF, a.norm());
            assertTrue(a.getProvenance().toString().contains("epsilon"), name);
        }
        assertEquals("pgd-20", Attacks.create("PGD", o).name());
        assertEquals("pgd-cw-20", Attacks.create("pgd-cw", o).name());
        assertEquals("apgd-t", Attacks.create("apgd-t", o).name());
        assertInstanceOf(AttackCascade.class, Attacks.create("autoattack", o));
        assertEquals(3, ((AttackCascade) Attacks.create("autoattack", o)).attacks().size());
        assertEquals(5000, ((SquareAttack) Attacks.create("square", o)).queries());
    }

    @Test
    void optionsReachTheAttacks() {
        AttackOptions o = AttackOptions.of(0.1, Norm.L2).withSteps(7).withStepSize(0.05);
        Pgd pgd = (Pgd) Attacks.create("pgd", o);
        assertEquals(7, pgd.steps());
        assertEquals(0.05, pgd.stepSize());
        Pgd dflt = (Pgd) Attacks.create("pgd", AttackOptions.of(0.1, Norm.LINF));
        assertEquals(20, dflt.steps());
        assertEquals(2.5 * 0.1 / 20, dflt.stepSize(), 1e-12);
        assertEquals(7, ((Apgd) Attacks.create("apgd-ce", o)).steps());
        assertEquals(2, Attacks.createAll("fgsm, pgd", o).size());
    }

    @Test
    void errorsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Attacks.create("deepfool", AttackOptions.of(0.1, Norm.LINF)));
        assertTrue(e.getMessage().contains("deepfool") && e.getMessage().contains("apgd-ce"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Attacks.create("pgd", AttackOptions.of(0, Norm.LINF)));
        assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Attacks.create("pgd",
                AttackOptions.of(Double.NaN, Norm.LINF)));
        assertThrows(IllegalArgumentException.class, () -> Attacks.create("square", AttackOptions.of(0.1, Norm.L2)));
        assertThrows(IllegalArgumentException.class, () -> Attacks.createAll(" , ", AttackOptions.of(0.1, Norm.L2)));
    }
}
