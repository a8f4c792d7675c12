package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study commands ({@code sweep}, {@code reproduce}, {@code report}, {@code export}) check every output path
 * before any work and say in one line, without a stack trace, why it cannot be written.
 */
class StudyOutputPathsTest {
    /** Paths that cannot be written: under a regular file (everywhere, also as root) and in /proc (Linux). */
    private static List<Path> unwritable(Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        return Files.isDirectory(Path.of("/proc/self")) ? List.of(file.resolve("sub"), Path.of("/proc/widerobust-rq"))
                : List.of(file.resolve("sub"));
    }

    private static void assertOneLineError(CliRunner.Result r, String option, String command) {
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.startsWith("widerobust " + command + ": --" + option), err);
    }

    @Test
    void unwritableOutputsAreOneLineErrorsBeforeAnyWork(@TempDir Path tmp) throws Exception {
        for (Path bad : unwritable(tmp)) {
            CliRunner.Result r = CliRunner.run("reproduce", "--preset", "quick", "--data", "synthetic:20", "--out",
                    bad.toString());
            assertOneLineError(r, "out", "reproduce");
            assertFalse(r.out().contains("widerobust sweep"), "nothing started: " + r.out());
            assertOneLineError(CliRunner.run("report", "--in", tmp.resolve("none").toString(), "--out",
                    bad.toString()), "out", "report");
            assertOneLineError(CliRunner.run("export", "--model", tmp.resolve("none.tribuo").toString(), "--onnx",
                    bad.resolve("x.onnx").toString()), "onnx", "export");
            assertOneLineError(CliRunner.run("sweep", "--data", "synthetic:20", "--arch", "mlp", "--widths", "0.25",
                    "--lambdas", "1", "--out", bad.toString()), "out", "sweep");
        }
    }
}
