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
        if (Files.isDirectory(file)) {
            Path inRun = file.resolve("model.tribuo");
            if (!Files.isRegularFile(inRun)) {
                throw new CliException(file + " is a directory without a model.tribuo (give a model.tribuo file or "
                        + "a train run's directory)");
            }
            file = inRun;
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
