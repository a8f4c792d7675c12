package org.widerobust.adapters.imports;

import java.nio.file.Path;

/** An ONNX file that cannot be used as a classifier; the message names the file and the problem. */
public class ImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ImportException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ImportException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that failed to import. */
    public Path file() {
        return file;
    }
}
