package org.widerobust.plugin.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the launcher's main class in a real child JVM, with stdout and stderr to files (not a terminal). */
final class CliProcess {
    private CliProcess() {}

    static Process start(Path stdout, Path stderr, String... args) throws IOException {
        return start(null, stdout, stderr, args);
    }

    /** As {@link #start(Path, Path, String...)}, in working directory {@code dir} (null: this process's). */
    static Process start(Path dir, Path stdout, Path stderr, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", cp, Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().remove("TERM");
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        return pb.start();
    }

    /** A condition on the child's files, re-checked while waiting. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws IOException;
    }

    /**
     * Waits until {@code ready} holds while the child runs.
     *
     * @param what names the awaited state in the failure message, which ends with the child's stderr
     * @throws AssertionError if the child ends first or {@code seconds} pass
     */
    static void await(Process p, Path stderr, long seconds, String what, Condition ready) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        while (!ready.holds()) {
            if (!p.isAlive()) {
                throw new AssertionError("the process ended (" + p.exitValue() + ") before " + what + ": "
                        + java.nio.file.Files.readString(stderr));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " after " + seconds + " s: "
                        + java.nio.file.Files.readString(stderr));
            }
            Thread.sleep(50);
        }
    }
}
