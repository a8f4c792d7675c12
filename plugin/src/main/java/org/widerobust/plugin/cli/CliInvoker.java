package org.widerobust.plugin.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Runs a verb of this CLI in-process (through {@link Main}, exactly as the command line would), its standard output
 * and error appended to a log file. One at a time: the process's output streams are swapped for the call.
 */
final class CliInvoker {
    private CliInvoker() {}

    static synchronized int run(List<String> args, Path log) throws Exception {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try (OutputStream file = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             PrintStream p = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            p.println("$ widerobust " + String.join(" ", args));
            System.setOut(p);
            System.setErr(p);
            return Main.standard().run(args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
