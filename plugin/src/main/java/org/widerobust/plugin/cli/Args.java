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

    /** Parses a decimal or a fraction {@code a/b} ({@link OptionValues#real}). */
    static double parseReal(String v) {
        return org.widerobust.plugin.OptionValues.real(v);
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
     * Checks that an output directory option can be created or written into, before any expensive work, without
     * creating it ({@link AtomicFiles#checkCreatableDirectory}): the command creates it when it writes.
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
            AtomicFiles.checkCreatableDirectory(p);
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
