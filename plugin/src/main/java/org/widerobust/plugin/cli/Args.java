package org.widerobust.plugin.cli;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.engine.EngineException;
import org.widerobust.adapters.files.AtomicFiles;

/**
 * The one home of reading option values: typed values with errors that name the option, fractions such as
 * {@code 8/255} for every real-valued option, the meaning of {@code --threads}, the rule that an option is given at
 * most once, writable-output checks, and the translation of OLCUT configuration errors back to flag names.
 */
final class Args {
    private static final Pattern FRACTION = Pattern.compile("\\s*([^/\\s]+)\\s*/\\s*([^/\\s]+)\\s*");

    private Args() {}

    static int intValue(CommandLine line, String opt, int dflt) {
        long v = longValue(line, opt, dflt);
        if (v != (int) v) {
            throw new CliException("--" + opt + " is out of range, got '" + line.getOptionValue(opt) + "'");
        }
        return (int) v;
    }

    static long longValue(CommandLine line, String opt, long dflt) {
        String v = line.getOptionValue(opt);
        try {
            return v == null ? dflt : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new CliException("--" + opt + " takes a whole number, got '" + v + "'");
        }
    }

    /**
     * A real number: a decimal such as {@code 0.031} or {@code 2e-4}, or a fraction such as {@code 8/255} (the way
     * the field writes ε).
     */
    static double doubleValue(CommandLine line, String opt, double dflt) {
        String v = line.getOptionValue(opt);
        if (v == null) {
            return dflt;
        }
        try {
            return parseReal(v);
        } catch (NumberFormatException e) {
            throw new CliException("--" + opt + " takes a number or a fraction such as 8/255, got '" + v + "'");
        }
    }

    /** Parses a decimal or a fraction {@code a/b}. */
    static double parseReal(String v) {
        Matcher m = FRACTION.matcher(v);
        if (m.matches()) {
            double den = Double.parseDouble(m.group(2));
            if (den == 0) {
                throw new NumberFormatException("division by zero");
            }
            return Double.parseDouble(m.group(1)) / den;
        }
        return Double.parseDouble(v.trim());
    }

    /**
     * {@code --threads}: the size of the one shared compute pool; absent or 0 means all cores, in every command.
     *
     * @throws CliException for a negative or non-numeric value
     */
    static int threads(CommandLine line) {
        int t = intValue(line, "threads", 0);
        if (t < 0) {
            throw new CliException("--threads must be >= 0 (0: all cores), got " + t);
        }
        return t;
    }

    /** The engine for {@code --device} (default auto) and {@link #threads}. */
    static Engine engine(CommandLine line) {
        DeviceSpec device;
        try {
            device = DeviceSpec.parse(line.getOptionValue("device", "auto"));
        } catch (IllegalArgumentException e) {
            throw new CliException("--device: " + e.getMessage(), e);
        }
        try {
            return Engine.create(device, threads(line));
        } catch (EngineException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    /**
     * Rejects options given more than once: a repeated single-valued option would silently keep one value, and a
     * repeated list-valued one ({@code --attack}) takes one comma-separated list instead.
     */
    static void requireSingle(CommandLine line) {
        Map<String, List<String>> seen = new LinkedHashMap<>();
        for (Option o : line.getOptions()) {
            String name = o.getLongOpt() != null ? o.getLongOpt() : o.getOpt();
            seen.computeIfAbsent(name, k -> new ArrayList<>()).add(o.getValue());
        }
        for (var e : seen.entrySet()) {
            List<String> values = e.getValue();
            if (values.size() > 1) {
                String shown = values.get(0) == null ? "" : " (" + String.join(", ", values.stream()
                        .map(v -> "'" + v + "'").toList()) + ")";
                throw new CliException("--" + e.getKey() + " is given " + values.size() + " times" + shown
                        + "; give it once" + (values.get(0) != null && e.getKey().equals("attack")
                        ? ", with several attacks as one comma-separated list, e.g. --attack "
                        + String.join(",", values) : ""));
            }
        }
    }

    /**
     * Refuses empty option values ({@code --out ""} would otherwise mean the current directory, {@code --data ""}
     * nothing at all).
     *
     * @throws CliException naming the first option given an empty or blank value
     */
    static void requireNonBlank(CommandLine line) {
        for (org.apache.commons.cli.Option o : line.getOptions()) {
            if (o.hasArg() && (o.getValue() == null || o.getValue().isBlank())) {
                throw new CliException("--" + o.getLongOpt() + ": empty value");
            }
        }
    }

    /**
     * Checks that an output file option can be written, before any expensive work.
     *
     * @return the path, or null if the option is absent
     * @throws CliException with a one-line reason if it cannot be written
     */
    /** The options that name a model the command reads: a file, or a train run's directory holding one. */
    static final List<String> INPUT_MODELS = List.of("model", "war-reference");

    /**
     * Refuses an output file that would overwrite a model the command reads ({@link #INPUT_MODELS}): the same file
     * (say {@code --json} or {@code export --onnx} given the {@code --model} path), or a model file
     * ({@code .onnx}, {@code .tribuo}) directly in a run directory given as the input.
     *
     * @throws CliException naming both options
     */
    static void requireOutputsApartFromInputs(CommandLine line, List<String> outputFiles) {
        for (String in : INPUT_MODELS) {
            String inValue = line.getOptionValue(in);
            if (inValue == null) {
                continue;
            }
            Path input = Path.of(inValue).toAbsolutePath().normalize();
            for (String out : outputFiles) {
                String outValue = line.getOptionValue(out);
                if (outValue == null) {
                    continue;
                }
                Path output = Path.of(outValue).toAbsolutePath().normalize();
                String name = output.getFileName() == null ? "" : output.getFileName().toString()
                        .toLowerCase(java.util.Locale.ROOT);
                boolean modelInRunDir = java.nio.file.Files.isDirectory(input) && input.equals(output.getParent())
                        && (name.endsWith(".onnx") || name.endsWith(".tribuo"));
                if (output.equals(input) || sameExistingFile(input, output) || modelInRunDir) {
                    throw new CliException("--" + out + " " + outValue + " would overwrite the model that --" + in
                            + " " + inValue + " reads; choose another output path");
                }
            }
        }
    }

    private static boolean sameExistingFile(Path a, Path b) {
        try {
            return java.nio.file.Files.exists(a) && java.nio.file.Files.exists(b)
                    && java.nio.file.Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    static Path outputFile(CommandLine line, String opt) {
        String v = line.getOptionValue(opt);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        try {
            AtomicFiles.checkWritableFile(p);
        } catch (IOException e) {
            throw new CliException("--" + opt + ": " + e.getMessage(), e);
        }
        return p;
    }

    /**
     * Checks that files can be written into an output directory option (creating it), before any expensive work.
     *
     * @return the path, or null if the option is absent
     * @throws CliException with a one-line reason if it cannot be written
     */
    static Path outputDirectory(CommandLine line, String opt) {
        String v = line.getOptionValue(opt);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        try {
            AtomicFiles.checkWritableDirectory(p);
        } catch (IOException e) {
            throw new CliException("--" + opt + ": " + e.getMessage(), e);
        }
        return p;
    }

    /**
     * An OLCUT configuration error in the words of the command line: the {@code @Config} field names in it (e.g.
     * {@code batchSize}) become the flags that set them (e.g. {@code --batch}).
     *
     * @param e           the error
     * @param fieldToFlag field name to option name (without dashes)
     */
    static CliException configError(PropertyException e, Map<String, String> fieldToFlag) {
        String field = e.getProperty();
        String msg = e.getMsg() == null ? e.getMessage() : e.getMsg();
        for (var f : fieldToFlag.entrySet()) {
            if (f.getKey().equals(f.getValue())) {
                continue;
            }
            msg = msg.replaceAll("\\b" + Pattern.quote(f.getKey()) + "\\b", Matcher.quoteReplacement("--"
                    + f.getValue()));
        }
        String flag = fieldToFlag.get(field);
        if (flag != null && !msg.startsWith("--" + flag)) {
            msg = "--" + flag + ": " + msg;
        }
        return new CliException(msg, e);
    }
}
