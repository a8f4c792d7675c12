package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume} on a run that already finished trains nothing, says so and leaves the run's files as they were
 * (before, it rewrote {@code train.json} with a zero-example leg); with other options than the run's it is refused,
 * as for an unfinished run (before, it said "nothing to resume" and exited 0).
 */
class ResumeFinishedRunTest {
    @TempDir
    Path tmp;

    @Test
    void resumingAFinishedRunChangesNothing() throws Exception {
        Path out = tmp.resolve("run");
        String[] train = CliRunner.tinyTrain(out, 120, 2);
        CliRunner.Result first = CliRunner.run(train);
        assertEquals(0, first.code(), first.err());
        byte[] report = Files.readAllBytes(out.resolve("train.json"));
        byte[] model = Files.readAllBytes(out.resolve("model.onnx"));
        String[] resume = java.util.Arrays.copyOf(train, train.length + 1);
        resume[train.length] = "--resume";
        CliRunner.Result again = CliRunner.run(resume);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains(out + " holds a finished run of 2 epochs"), again.err());
        assertTrue(again.err().contains("nothing to resume, nothing changed"), again.err());
        assertFalse(again.err().contains("\tat "), again.err());
        assertArrayEquals(report, Files.readAllBytes(out.resolve("train.json")));
        assertArrayEquals(model, Files.readAllBytes(out.resolve("model.onnx")));

        // the same run directory with other options is not "finished" for them: refused, naming both settings
        String[] other = resume.clone();
        other[4] = "0.5";
        CliRunner.Result changed = CliRunner.run(other);
        assertEquals(2, changed.code(), changed.err());
        assertTrue(changed.err().contains("--resume: " + out + " holds a finished run; checkpoint"), changed.err());
        assertTrue(changed.err().contains("was written by a different training configuration")
                && changed.err().contains("mlp(k=0.25)") && changed.err().contains("mlp(k=0.5)"), changed.err());
        assertArrayEquals(report, Files.readAllBytes(out.resolve("train.json")));
        assertArrayEquals(model, Files.readAllBytes(out.resolve("model.onnx")));
    }

    /**
     * A WAR run resumed with its reference spelled another way (relative, then absolute through ..) is the same run:
     * the checkpoint holds rho_ref, not the path (a field report: a requeued job could not resume).
     */
    @Test
    void aWarRunResumesWhateverTheSpellingOfItsReference() throws Exception {
        Path ref = tmp.resolve("ref");
        CliRunner.Result r = CliRunner.run(CliRunner.tinyTrain(ref, 120, 1));
        assertEquals(0, r.code(), r.err());
        Path out = tmp.resolve("war");
        String[] war = CliRunner.tinyTrain(out, 120, 1, "--war", "ratio", "--war-reference",
                ref.resolve("model.tribuo").toString());
        war[4] = "0.5"; // wider than the reference
        assertEquals(0, CliRunner.run(war).code());
        String[] resume = java.util.Arrays.copyOf(war, war.length + 1);
        resume[war.length] = "--resume";
        Path throughDotDot = tmp.resolve("war").resolve("..").resolve("ref").resolve("model.tribuo");
        resume[java.util.Arrays.asList(resume).indexOf("--war-reference") + 1] = throughDotDot.toString();
        CliRunner.Result again = CliRunner.run(resume);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("nothing to resume, nothing changed"), again.err());
    }
}
