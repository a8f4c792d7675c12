package org.widerobust.plugin.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the launcher in-process and captures its output (the one home of that, for tests of every package). */
public final class CliRunner {
    /** Exit code, stdout and stderr of one run. */
    public record Result(int code, String out, String err) {}

    private CliRunner() {}

    /**
     * The arguments of a tiny training run (mlp k = 0.25 on synthetic data, batches of 40, one attack step, one CPU
     * thread, quiet) into {@code out}, followed by {@code extra}.
     */
    public static String[] tinyTrain(java.nio.file.Path out, int examples, int epochs, String... extra) {
        String[] base = {"train", "--arch", "mlp", "--width", "0.25", "--data", "synthetic:" + examples, "--epochs",
                String.valueOf(epochs), "--batch", "40", "--steps", "1", "--device", "cpu", "--threads", "1", "--quiet",
                "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    public static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.standard().run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            oldOut.print(out.toString(StandardCharsets.UTF_8));
        }
    }
}
