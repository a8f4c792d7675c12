package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The training progress fields, with the ETA of the whole run beside the display's per-epoch ETA. */
class TrainingProgressTest {
    @Test
    void fieldsNameTheRunsEta() {
        assertEquals("loss 0.5000 λ 6.00 clean 0.800 adv 0.400 100.0 ex/s run ETA 1:01:01",
                TrainingProgress.fields(0.5, 0.8, 0.4, 100, 6, 3661));
        assertEquals("loss 0.5000 clean 0.800 0.0 ex/s", TrainingProgress.fields(0.5, 0.8, Double.NaN, 0,
                Double.NaN, Double.NaN), "natural training, no rate yet");
    }
}
