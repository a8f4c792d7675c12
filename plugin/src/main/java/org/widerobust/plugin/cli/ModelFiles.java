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
}
