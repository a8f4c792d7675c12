package org.widerobust.datasets;

import java.nio.file.Path;

/**
 * A data file (or directory) is missing, unreadable or malformed. The message always starts with the file's path
 * followed by the problem, e.g. {@code "/data/train-labels-idx1-ubyte.gz: truncated: header says 60000 labels, file
 * ends after 1234"}. Thrown while a data source is configured, before any example is handed out: a source that
 * throws this has not been half-loaded into use.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    /**
     * @param file the offending file or directory.
     * @param problem what is wrong with it.
     */
    public DataFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    /**
     * @param file the offending file or directory.
     * @param problem what is wrong with it.
     * @param cause the underlying exception, if any.
     */
    public DataFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** @return the file or directory concerned. */
    public Path file() { return file; }

    /** @return the problem, without the path. */
    public String problem() { return problem; }
}
