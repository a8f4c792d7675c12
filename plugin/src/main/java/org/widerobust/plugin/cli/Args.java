package org.widerobust.plugin.cli;

import org.apache.commons.cli.CommandLine;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.engine.EngineException;

/** Typed reading of option values, with errors that name the option. */
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

    static double doubleValue(CommandLine line, String opt, double dflt) {
        String v = line.getOptionValue(opt);
        try {
            return v == null ? dflt : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new CliException("--" + opt + " takes a number, got '" + v + "'");
        }
    }

    /** The engine for {@code --device} (default auto) and {@code --threads} (default all cores). */
    static Engine engine(CommandLine line) {
        try {
            return Engine.create(DeviceSpec.parse(line.getOptionValue("device", "auto")), intValue(line, "threads", 0));
        } catch (EngineException e) {
            throw new CliException(e.getMessage(), e);
        }
    }
}
