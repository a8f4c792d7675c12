package org.widerobust.plugin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** {@code --workloads} parsing and the validation of {@link BenchmarkConfig}. */
class BenchmarkConfigTest {
    private static final String ALL = "forward,input_gradient,pgd20_eval,pgd10_train_step,trades_train_step";

    private static BenchmarkConfig config(Set<Workload> workloads) {
        return new BenchmarkConfig("mlp", 1, 8, 1, 0.1, 0, workloads);
    }

    private static void rejects(String list, String... inMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkConfig.parseWorkloads(list));
        assertTrue(e.getMessage().startsWith("--workloads"), e.getMessage());
        for (String s : inMessage) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
    }

    @Test
    void keysAreTheJsonPrefixesInRunOrder() {
        assertEquals(List.of(ALL.split(",")), EnumSet.allOf(Workload.class).stream().map(Workload::key).toList());
    }

    @Test
    void noListMeansAllWorkloads() {
        assertEquals(EnumSet.allOf(Workload.class), BenchmarkConfig.parseWorkloads(null));
        assertEquals(EnumSet.allOf(Workload.class), BenchmarkConfig.parseWorkloads(ALL));
        assertEquals(EnumSet.allOf(Workload.class), new BenchmarkConfig("mlp", 1, 8, 1, 0.1, 0).workloads());
    }

    @Test
    void subsetIgnoresCaseAndBlanksAndRefusesRepeats() {
        rejects(" pgd10_train_step, FORWARD ,forward", "names 'forward' twice");
        rejects("forward,", "empty item");
        Set<Workload> w = BenchmarkConfig.parseWorkloads(" pgd10_train_step, FORWARD ");
        assertEquals(EnumSet.of(Workload.FORWARD, Workload.PGD10_TRAIN_STEP), w);
        BenchmarkConfig cfg = config(w);
        assertTrue(cfg.runs(Workload.FORWARD));
        assertTrue(cfg.runs(Workload.PGD10_TRAIN_STEP));
        assertFalse(cfg.runs(Workload.INPUT_GRADIENT));
        assertFalse(cfg.runs(Workload.PGD20_EVAL));
        assertEquals(List.of(Workload.FORWARD, Workload.PGD10_TRAIN_STEP), List.copyOf(cfg.workloads()));
        assertThrows(UnsupportedOperationException.class, () -> cfg.workloads().add(Workload.PGD20_EVAL));
    }

    @Test
    void unknownNamesAreNamedWithTheChoices() {
        rejects("forward,pgd7", "'pgd7'", ALL);
        rejects("pgd20", "'pgd20'", ALL);
        rejects("forward;pgd20_eval", "'forward;pgd20_eval'", ALL);
    }

    @Test
    void aListWithoutNamesIsRejected() {
        rejects("", ALL);
        rejects(" , ", "empty item");
        assertThrows(IllegalArgumentException.class, () -> config(Set.of()));
        assertThrows(IllegalArgumentException.class, () -> config(null));
    }

    @Test
    void otherSettingsAreStillChecked() {
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkConfig("mlp", 1, 0, 1, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkConfig("mlp", 1, 8, 0, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BenchmarkConfig("mlp", 1, 8, 1, Double.NaN, 0));
    }
}
