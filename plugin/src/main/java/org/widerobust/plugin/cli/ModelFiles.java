package org.widerobust.plugin.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.widerobust.plugin.train.NetworkModel;

/** Reading a widerobust model file for the CLI, with one-line errors. */
final class ModelFiles {
    private ModelFiles() {}

    /**
     * Reads a widerobust model: a {@code model.tribuo} file, or a run directory of {@code train} (its
     * {@code model.tribuo}).
     *
     * @throws CliException with a one-line reason: missing file, a directory without a model, an ONNX file (which
     *                      holds no Tribuo model, {@link NetworkModel#load}), or an unreadable model
     */
    static NetworkModel read(Path file) {
        try {
            file = org.widerobust.plugin.train.RunDirectory.modelFile(file, "model.tribuo");
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
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
