package org.widerobust.plugin.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.widerobust.adapters.engine.NativeCallGate;

/** Entry point of the {@code widerobust} launcher: dispatches to a {@link Command} by its verb. */
public final class Main {
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Main(List<Command> commands) {
        for (Command c : commands) {
            this.commands.put(c.name(), c);
        }
    }

    /** The launcher's verbs. */
    public static Main standard() {
        return new Main(Commands.all());
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "widerobust: %5$s%6$s%n");
        }
        NativeCallGate.exitOnSignals();
        quietNativeLoader();
        System.exit(standard().run(args));
    }

    /** ONNX Runtime's Java loader's logger, held so that its configuration stays (loggers are weakly referenced). */
    private static final java.util.logging.Logger ORT_LOADER = java.util.logging.Logger.getLogger(
            "ai.onnxruntime.OnnxRuntime");
    /** Why ONNX Runtime's loader last failed, as it logged it, or null. */
    private static volatile String nativeLoadFailure;

    /**
     * ONNX Runtime's loader logs a failure to unpack its native library with a full stack trace before the
     * {@link UnsatisfiedLinkError}; the command line keeps the cause for its one-line message instead, and passes the
     * loader's other warnings on as one line each.
     */
    static void quietNativeLoader() {
        ORT_LOADER.setUseParentHandlers(false);
        ORT_LOADER.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getThrown() != null) {
                    nativeLoadFailure = r.getMessage() + ": " + r.getThrown();
                } else if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    System.err.println("widerobust: ONNX Runtime: " + r.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    /** Runs the verb named by {@code args[0]} and returns the exit code. */
    public int run(String[] args) {
        if (args.length > 0 && (args[0].equals("--version") || args[0].equals("version"))) {
            System.out.println(Version.describe());
            return 0;
        }
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage();
            return args.length == 0 ? 2 : 0;
        }
        Command c = commands.get(args[0]);
        if (c == null) {
            System.err.println("widerobust: unknown command '" + args[0] + "'. Commands: " + commands.keySet());
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            help(c);
            return 0;
        }
        try {
            CommandLine line = DefaultParser.builder().setAllowPartialMatching(false).build()
                    .parse(c.options(), rest);
            if (!line.getArgList().isEmpty()) {
                throw new CliException("unexpected argument(s) " + line.getArgList());
            }
            Args.requireSingle(line);
            Args.requireNonBlank(line);
            OutputGuard.check(line, c.outputFiles(), c.outputDirectories(), c.replacedDirectory(line));
            for (String o : c.outputFiles()) {
                Args.outputFile(line, o);
            }
            for (String o : c.outputDirectories()) {
                Args.outputDirectory(line, o);
            }
            return runSayingIfInterrupted(c, line);
        } catch (ParseException e) {
            System.err.println("widerobust " + c.name() + ": " + e.getMessage() + positionalHint(c, rest)
                    + " (see widerobust " + c.name() + " --help)");
            return 2;
        } catch (CliException | IllegalArgumentException e) {
            System.err.println("widerobust " + c.name() + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            java.io.IOException io = ioCause(e);
            if (io != null) { // a disk, quota or permission problem: one line naming it, no trace
                System.err.println("widerobust " + c.name() + ": input/output error: " + describe(io)
                        + " (files are written whole, through a temporary beside them, so none was left half-written)");
                return 1;
            }
            System.err.println("widerobust " + c.name() + ": failed: " + e);
            e.printStackTrace();
            return 1;
        } catch (UnsatisfiedLinkError e) {
            // ONNX Runtime unpacks its native library into java.io.tmpdir at first use: a full or read-only one
            String cause = nativeLoadFailure != null ? nativeLoadFailure : e.getMessage();
            System.err.println("widerobust " + c.name() + ": cannot load ONNX Runtime's native library (" + cause
                    + "); it is unpacked into java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + "): check "
                    + "its space, permissions and your file-size limit (ulimit -f), or set -Djava.io.tmpdir=DIR in "
                    + "WIDEROBUST_JAVA_OPTS");
            return 1;
        }
    }

    /** The first I/O exception in a chain of causes, or null. */
    static java.io.IOException ioCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.io.IOException io) {
                return io;
            }
        }
        return null;
    }

    /** An I/O exception in words: the file and the reason where the exception knows them. */
    static String describe(java.io.IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason()
                    : f.getClass().getSimpleName().replace("Exception", ""));
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * When parsing failed (a required option missing, say) and the command line also holds bare arguments, says so:
     * {@code info runs/t1} means {@code info --model runs/t1}, and the missing option alone would not tell.
     */
    private static String positionalHint(Command c, String[] rest) {
        Options lenient = new Options();
        for (Option o : c.options().getOptions()) {
            Option copy = (Option) o.clone();
            copy.setRequired(false);
            lenient.addOption(copy);
        }
        try {
            List<String> bare = DefaultParser.builder().setAllowPartialMatching(false).build().parse(lenient, rest)
                    .getArgList();
            return bare.isEmpty() ? "" : "; unexpected argument(s) " + bare + " (options are named, e.g. --"
                    + (c.options().getRequiredOptions().isEmpty() ? "out" : c.options().getRequiredOptions().get(0))
                    + " VALUE)";
        } catch (ParseException other) {
            return "";
        }
    }

    /**
     * Runs the verb; if the process is interrupted meanwhile (SIGINT/SIGTERM), says so with the verb's advice on the
     * stderr the verb started with: a sweep's own message reaches the terminal even while it runs a point's
     * {@code train} in-process with stderr sent to the point's log (where that {@code train}'s message goes). The
     * engine lets the ONNX Runtime call in flight finish before the process exits.
     */
    private static int runSayingIfInterrupted(Command c, CommandLine line) throws Exception {
        java.io.PrintStream err = System.err;
        Thread hook = new Thread(() -> err.println("widerobust " + c.name() + ": interrupted"
                + c.afterInterrupt()), "widerobust-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return c.run(line);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                // the process is already exiting: the hook runs
            }
        }
    }

    private void usage() {
        System.out.println("usage: widerobust COMMAND [options]   (widerobust COMMAND --help for its options; "
                + "widerobust --version)");
        System.out.println();
        for (Command c : commands.values()) {
            System.out.printf("  %-10s %s%n", c.name(), c.summary());
        }
    }

    private static void help(Command c) {
        HelpFormatter f = new HelpFormatter();
        f.setWidth(110);
        f.printHelp(new PrintWriter(System.out, true), 110, "widerobust " + c.name() + " [options]", c.summary(),
                markRequired(c.options()), 2, 4, "Required options are marked (required). Each option is given once; "
                        + "real numbers may be fractions such as 8/255.", false);
    }

    /** The options with "(required)" at the end of each required option's description. */
    static Options markRequired(Options options) {
        for (Option o : options.getOptions()) {
            if (o.isRequired() && !o.getDescription().contains("(required)")) {
                o.setDescription(o.getDescription() + " (required)");
            }
        }
        return options;
    }
}
