package org.widerobust.plugin.cli;

import java.util.List;

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
     * The options that name a file this verb writes (without dashes). The launcher checks that each given one can be
     * written before {@link #run} starts any work.
     */
    default List<String> outputFiles() {
        return List.of();
    }

    /**
     * The options that name a directory this verb writes into; checked like {@link #outputFiles}, but not created
     * until the verb writes.
     */
    default List<String> outputDirectories() {
        return List.of();
    }

    /**
     * The option (one of {@link #outputDirectories}) naming a directory this invocation replaces as a whole, or null;
     * {@link OutputGuard} then refuses it if it holds an input or another output.
     */
    default String replacedDirectory(CommandLine line) {
        return null;
    }

    /**
     * What the user can do after the verb was interrupted (SIGINT/SIGTERM), appended to "widerobust VERB: interrupted";
     * empty when there is nothing to add.
     */
    default String afterInterrupt() {
        return "";
    }

    /**
     * Runs the verb.
     *
     * @return the process exit code
     * @throws CliException for mistakes in the arguments or inputs (reported without a stack trace)
     */
    int run(CommandLine line) throws Exception;
}
