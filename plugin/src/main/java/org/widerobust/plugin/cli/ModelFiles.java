package org.widerobust.plugin.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.widerobust.plugin.train.NetworkModel;

/** Reading a widerobust model file for the CLI, with one-line errors. */
final class ModelFiles {
    private ModelFiles() {}

    static NetworkModel read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("model file " + file + " does not exist");
        }
        try {
            return NetworkModel.load(file);
        } catch (IOException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    /** Checks that {@code out} can be written before any work: its directory exists and it is not a directory. */
    static void checkWritable(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        if (Files.isDirectory(out)) {
            throw new CliException("output " + out + " is a directory");
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new CliException("cannot write " + out + ": directory " + dir + " does not exist or is not "
                    + "writable");
        }
    }
}
