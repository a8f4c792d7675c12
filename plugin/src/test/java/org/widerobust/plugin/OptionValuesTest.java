package org.widerobust.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.bench.BenchmarkConfig;
import org.widerobust.plugin.sweep.SweepPlan;

/**
 * Comma-separated options read one way everywhere: trimmed items; an empty item or a repeated one is an error (a field
 * report: {@code --attack pgd,pgd,} ran PGD twice and accepted the trailing comma).
 */
class OptionValuesTest {
    @Test
    void itemsAreTrimmedAndEmptyOrRepeatedItemsRefused() {
        assertEquals(List.of("pgd", "apgd-ce"), OptionValues.list("attack", " pgd , apgd-ce"));
        assertEquals(List.of(), OptionValues.list("attack", " "));
        String trailing = assertThrows(IllegalArgumentException.class, () -> OptionValues.list("attack", "pgd,"))
                .getMessage();
        assertTrue(trailing.startsWith("--attack 'pgd,' has an empty item"), trailing);
        assertThrows(IllegalArgumentException.class, () -> OptionValues.list("attack", "pgd,,cw"));
        String twice = assertThrows(IllegalArgumentException.class, () -> OptionValues.list("attack", "pgd,PGD"))
                .getMessage();
        assertEquals("--attack names 'PGD' twice in 'pgd,PGD'", twice);
    }

    @Test
    void everyListOptionReadsThisWay() {
        AttackOptions o = AttackOptions.of(0.1, Norm.LINF);
        assertThrows(IllegalArgumentException.class, () -> Attacks.createAll("pgd,pgd", o));
        assertThrows(IllegalArgumentException.class, () -> Attacks.createAll("pgd,", o));
        assertEquals(2, Attacks.createAll("pgd, fgsm", o).size());
        String widths = assertThrows(IllegalArgumentException.class, () -> SweepPlan.parseList("widths", "1,1.0"))
                .getMessage();
        assertEquals("--widths names 1.0 twice in '1,1.0'", widths);
        assertThrows(IllegalArgumentException.class, () -> BenchmarkConfig.parseWorkloads("forward,,pgd20_eval"));
        // numbers read as every real-valued option is: decimals or fractions
        assertEquals(List.of(0.5, 1.0, 6.0), SweepPlan.parseList("widths", "1/2, 1, 12/2"));
        assertThrows(IllegalArgumentException.class, () -> SweepPlan.parseList("widths", "1/2,0.5"));
        assertThrows(IllegalArgumentException.class, () -> SweepPlan.parseList("widths", "1/0"));
    }
}
