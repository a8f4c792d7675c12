package org.widerobust.plugin.model;

import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.widerobust.adapters.data.PixelFeatureNames;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.imports.ImportException;
import org.widerobust.adapters.imports.ImportedModel;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.train.NetworkModel;

/**
 * Loads a classifier from a file for evaluation.
 * <ul>
 *   <li>{@code *.onnx}: imported with {@link OnnxClassifierImporter} (inputs in [0, 1]) and attacked white-box.</li>
 *   <li>anything else: a Tribuo model in Tribuo 4.3's protobuf format ({@link Model#deserializeFromFile}), or a
 *       Java-serialized Tribuo model of an older Tribuo (read behind {@link SerializedModels}' allow-list; a
 *       Java-serialized widerobust 0.1 model is a clear error). A widerobust {@code NetworkModel} is attacked
 *       white-box through its own graph, a Tribuo {@code ONNXExternalModel} white-box when its feature layout
 *       matches the data, any other Tribuo model black-box through its scores.</li>
 * </ul>
 * Problems become {@link ModelLoadException}s with one-line messages naming the file.
 */
public final class ModelLoader {
    private ModelLoader() {}

    /**
     * Loads a model.
     *
     * @param engine where white-box networks run
     * @throws ModelLoadException if the file is missing, unreadable, corrupt or not a classifier
     */
    public static LoadedModel load(Path file, Engine engine) {
        return load(file, engine, null);
    }

    /**
     * Loads a model whose logits are the ONNX graph output {@code onnxOutput} (null: the output named
     * {@code logits}, or the only float {@code [N, K]} one).
     *
     * @param engine where white-box networks run
     * @param file   an ONNX or Tribuo model file, or a train run's directory (its {@code model.onnx})
     * @throws ModelLoadException if the file is missing, unreadable, corrupt or not a classifier, or names no
     *                            such output
     */
    public static LoadedModel load(Path file, Engine engine, String onnxOutput) {
        if (!Files.exists(file)) {
            throw new ModelLoadException("model file " + file + " does not exist");
        }
        try {
            // a train run's directory: its model.onnx, the network with logits as widerobust trained it
            file = org.widerobust.plugin.train.RunDirectory.modelFile(file, "model.onnx");
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage());
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelLoadException("model file " + file + " is not a readable file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new ModelLoadException("model file " + file + " is empty (0 bytes)");
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return loadOnnx(file, engine, onnxOutput);
        }
        if (onnxOutput != null) {
            throw new ModelLoadException("--output " + onnxOutput + " applies to .onnx models only, not " + file);
        }
        return loadTribuo(file, engine);
    }

    private static LoadedModel loadOnnx(Path file, Engine engine, String output) {
        ImportedModel m;
        try {
            m = OnnxImports.load(file, output);
        } catch (ImportException e) {
            throw new ModelLoadException("bad model file " + e.getMessage(), e);
        }
        Network net = m.network();
        try {
            var prov = TargetModel.externalProvenance("ONNX classifier " + file.toAbsolutePath(),
                    file.toAbsolutePath().toUri().toURL(), null, net.exampleLength(), net.numClasses());
            return new LoadedModel("onnx " + net.name() + " " + java.util.Arrays.toString(net.exampleShape()),
                    net, null, prov, engine, m.warnings(), true);
        } catch (MalformedURLException e) {
            throw new ModelLoadException("bad model path " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static LoadedModel loadTribuo(Path file, Engine engine) {
        Model<?> model;
        List<String> problems = new ArrayList<>();
        try {
            model = Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            if (SerializedModels.isJavaSerialized(file)) {
                model = javaSerialized(file, problems);
            } else {
                problems.add("protobuf: " + SerializedModels.cause(e));
                model = null;
            }
        }
        if (model == null) {
            throw new ModelLoadException("bad model file " + file + ": neither an ONNX model (.onnx) nor a Tribuo "
                    + "model (" + String.join("; ", problems) + ")");
        }
        if (!model.validate(Label.class)) {
            throw new ModelLoadException("model file " + file + " holds a Tribuo " + model.getClass().getSimpleName()
                    + " that does not predict classification labels");
        }
        return wrap((Model<Label>) model, engine, true);
    }

    /**
     * An in-memory Tribuo model, ready to {@link LoadedModel#bind bind} to data; closing the result does not
     * close the model.
     *
     * @param engine where the graph of an {@code ONNXExternalModel} runs white-box
     */
    public static LoadedModel wrap(Model<Label> model, Engine engine) {
        return wrap(model, engine, false);
    }

    private static LoadedModel wrap(Model<Label> m, Engine engine, boolean owns) {
        return new LoadedModel("tribuo " + m.getClass().getSimpleName() + " '" + m.getName() + "'", null, m,
                m.getProvenance(), engine, List.of(), owns);
    }

    /** The dense layout in which a model reads Tribuo examples: feature names in tensor order and the shape. */
    public record Layout(List<String> featureNames, long[] exampleShape) {}

    /**
     * How to turn Tribuo examples into dense rows for a model: a widerobust {@code NetworkModel}'s own tensor order
     * and shape (features it knows but the examples lack are 0, as in Tribuo's sparse examples); for other models
     * their feature map's id order, as {@code [C, H, W]} for pixel names and flat otherwise.
     */
    public static Layout denseLayout(Model<Label> model) {
        if (model instanceof NetworkModel nm) {
            return new Layout(nm.featureNames(), nm.exampleShape());
        }
        var fmap = model.getFeatureIDMap();
        List<String> names = new ArrayList<>(fmap.size());
        for (int i = 0; i < fmap.size(); i++) {
            names.add(fmap.get(i).getName());
        }
        long[] shape = PixelFeatureNames.isPixelNames(names) ? PixelFeatureNames.parseShape(names)
                : new long[] {names.size()};
        return new Layout(names, shape);
    }

    private static Model<?> javaSerialized(Path file, List<String> problems) {
        try {
            Object o = SerializedModels.read(file);
            if (o instanceof Model<?> m) {
                return m;
            }
            problems.add("Java serialization: holds a " + o.getClass().getName() + ", not a Tribuo model");
        } catch (java.io.InvalidObjectException e) {
            throw new ModelLoadException(SerializedModels.javaSerializedMessage(file), e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            problems.add("Java serialization: " + e.getMessage());
        }
        return null;
    }
}
