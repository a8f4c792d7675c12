package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what Ctrl-C, {@code timeout} and schedulers send) during training: the process waits for the ONNX Runtime
 * call in flight, says it was interrupted and how to continue, and exits with 143 — no native crash and no
 * {@code hs_err_pid*.log}. Before the engine's exit gate, smallcnn runs crashed in {@code libonnxruntime.so} on most
 * interrupts.
 */
class InterruptedTrainingTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void sigtermWhileTrainingExitsCleanlyAndSaysHowToResume() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path dir = Files.createDirectories(tmp.resolve("r" + round));
            Path out = dir.resolve("run");
            Path stdout = dir.resolve("stdout.log");
            Path stderr = dir.resolve("stderr.log");
            Process p = CliProcess.start(dir, stdout, stderr, "train", "--arch", "smallcnn", "--width", "1",
                    "--data", "fashion-mnist", "--limit", "20000", "--epochs", "1", "--checkpoint-every", "10",
                    "--device", "cpu", "--threads", "2", "--out", out.toString());
            try {
                // interrupt while batches (and so ONNX Runtime runs) are going on, at a different moment each round
                CliProcess.await(p, stderr, 120, "training progress", () -> Files.readString(stderr).contains(" ex"));
                Thread.sleep(300L * round);
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the interrupted run did not exit");
            } finally {
                p.destroyForcibly();
            }
            String err = Files.readString(stderr);
            assertEquals(143, p.exitValue(), err);
            assertFalse(err.contains("SIGSEGV") || err.contains("fatal error"), err);
            assertTrue(err.contains("widerobust train: interrupted; the same command with --resume continues"), err);
            try (Stream<Path> files = Files.list(dir)) {
                assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("hs_err_pid")),
                        "the JVM left a crash log: " + err);
            }
        }
    }

    @Test
    @Timeout(120)
    void aSweepSaysOnItsOwnStderrThatItWasInterrupted() throws Exception {
        // the sweep runs each point's train in-process with stderr sent to the point's log; its own message must
        // still reach the terminal (a field report: it only went into logs/POINT.train.log)
        Path out = tmp.resolve("study");
        Path stdout = tmp.resolve("stdout.log");
        Path stderr = tmp.resolve("stderr.log");
        Process p = CliProcess.start(tmp, stdout, stderr, "sweep", "--data", "synthetic:30000", "--arch", "mlp",
                "--widths", "2", "--lambdas", "1", "--epochs", "3", "--threads", "2", "--out", out.toString());
        Path log = out.resolve("logs").resolve("k2-lambda1.train.log");
        try {
            CliProcess.await(p, stderr, 60, "training in the sweep", () -> Files.exists(log)
                    && Files.readString(log).contains("AdversarialTrainer("));
            Thread.sleep(500);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the interrupted sweep did not exit");
        } finally {
            p.destroyForcibly();
        }
        String terminal = Files.readString(stderr) + Files.readString(stdout);
        assertEquals(143, p.exitValue(), terminal);
        assertTrue(terminal.contains("widerobust sweep: interrupted; the same command continues the study"), terminal);
        assertTrue(Files.readString(log).contains("widerobust train: interrupted"), Files.readString(log));
    }
}
