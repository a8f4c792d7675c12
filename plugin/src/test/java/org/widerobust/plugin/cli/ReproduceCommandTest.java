package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.plugin.sweep.StudyPreset;

/** {@code widerobust reproduce}: the presets' plans and the clear errors; the studies themselves are too long here. */
class ReproduceCommandTest {
    @Test
    void quickPresetPlansTwelvePointsAndTrainsNothingOnADryRun(@TempDir Path tmp) {
        Path out = tmp.resolve("quick");
        CliRunner.Result r = CliRunner.run("reproduce", "--preset", "quick", "--out", out.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("12 points in the study"), r.out());
        assertTrue(r.out().contains("k8-war-ratio (reference k1-lambda6)"), r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void clearErrors(@TempDir Path tmp) {
        String out = tmp.resolve("x").toString();
        CliRunner.Result r = CliRunner.run("reproduce", "--preset", "cifar10-wrn", "--out", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("needs --data"), r.err());
        r = CliRunner.run("reproduce", "--preset", "huge", "--out", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("quick, full, cifar10-wrn"), r.err());
        r = CliRunner.run("reproduce", "--preset", "full", "--data", "idx:" + tmp.resolve("none"), "--out", out,
                "--dry-run");
        assertEquals(2, r.code());
    }

    @Test
    void everyPresetIsAValidSweep(@TempDir Path tmp) {
        for (StudyPreset p : StudyPreset.values()) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("sweep"));
            args.addAll(p.sweepArgs("synthetic:20", tmp.resolve(p.id()).toString()));
            args.add("--dry-run");
            CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), p.id() + ": " + r.err());
        }
    }
}
