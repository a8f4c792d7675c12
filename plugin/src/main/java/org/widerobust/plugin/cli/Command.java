package org.widerobust.plugin.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One verb of the launcher, e.g. {@code bench} or {@code evaluate}. */
public interface Command {
    /** The verb. */
    String name();

    /** One line for the overview. */
    String summary();

    /** The verb's options. */
    Options options();

    /**
     * Runs the verb.
     *
     * @return the process exit code
     * @throws CliException for mistakes in the arguments or inputs (reported without a stack trace)
     */
    int run(CommandLine line) throws Exception;
}
