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
        assertEquals("apgd-t-100", Attacks.create("apgd-t", o).name());
        assertEquals("apgd-ce-100", Attacks.create("apgd-ce", o).name());
        assertEquals("fab-t-100", Attacks.create("fab-t", o).name());
        assertEquals("fab-100", Attacks.create("fab", o).name());
        assertEquals("square-5000", Attacks.create("square", o).name());
        assertInstanceOf(AttackCascade.class, Attacks.create("autoattack", o));
        assertEquals("autoattack(apgd-ce-100+apgd-t-100+fab-t-100+square-5000)",
                Attacks.create("autoattack", o).name());
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
        assertEquals(100, ((Apgd) Attacks.create("apgd-ce", o)).steps(), "--steps is PGD's budget only");
        assertEquals(2, Attacks.createAll("fgsm, pgd", o).size());
    }

    /** Finding 3: each family's budget is its own option; --steps no longer sets Square's queries. */
    @Test
    void eachFamilyHasItsOwnBudget() {
        AttackOptions o = AttackOptions.of(0.03, Norm.LINF).withSteps(50);
        assertEquals(5000, ((SquareAttack) Attacks.create("square", o)).queries());
        assertEquals("pgd-50", Attacks.create("pgd", o).name());
        assertEquals("square-5000", Attacks.create("square", o).name());
        AttackOptions b = o.withApgdIterations(7).withSquareQueries(300).withFabIterations(11);
        assertEquals("apgd-ce-7", Attacks.create("apgd-ce", b).name());
        assertEquals("apgd-t-7", Attacks.create("apgd-t", b).name());
        assertEquals("square-300", Attacks.create("square", b).name());
        assertEquals("fab-t-11", Attacks.create("fab-t", b).name());
        assertEquals("pgd-50", Attacks.create("pgd", b).name());
        assertEquals("autoattack(apgd-ce-7+apgd-t-7+fab-t-11+square-300)", Attacks.create("autoattack", b).name());
        AttackCascade l2 = (AttackCascade) Attacks.create("autoattack", AttackOptions.of(0.5, Norm.L2));
        assertEquals(3, l2.attacks().size());
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
