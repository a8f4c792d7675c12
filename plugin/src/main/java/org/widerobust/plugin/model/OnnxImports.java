package org.widerobust.plugin.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.widerobust.adapters.imports.ImportedModel;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.train.NetworkModelExport;

/**
 * Imports ONNX classifiers for attack through {@link OnnxClassifierImporter} (which chooses the logits output and
 * steps back over a final {@code Softmax}/{@code LogSoftmax}, as in Tribuo's classifier convention and widerobust's own
 * export, with a warning), adding what only widerobust's export records: its declared input domain
 * ({@value NetworkModelExport#DOMAIN_KEY}) replaces the default [0, 1].
 */
public final class OnnxImports {
    private OnnxImports() {}

    /**
     * Reads and imports a file.
     *
     * @param output the graph output holding the logits, or null to choose it (see {@link OnnxClassifierImporter})
     * @throws org.widerobust.adapters.imports.ImportException a one-line error naming the file
     */
    public static ImportedModel load(Path file, String output) {
        ModelProto m;
        try {
            m = ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            return OnnxClassifierImporter.loadWithWarnings(file, InputDomain.UNIT, output); // its one-line error
        }
        return fromModel(file, m, output);
    }

    /** Reads and imports a file, choosing the logits output automatically. */
    public static ImportedModel load(Path file) {
        return load(file, null);
    }

    /** Imports an in-memory model read from {@code source}, choosing the logits output automatically. */
    public static ImportedModel fromModel(Path source, ModelProto model) {
        return fromModel(source, model, null);
    }

    private static ImportedModel fromModel(Path source, ModelProto model, String output) {
        ImportedModel im = OnnxClassifierImporter.fromModel(source, model, InputDomain.UNIT, output);
        float[] domain = declaredDomain(model);
        if (domain == null) {
            return im;
        }
        Network n = im.network();
        return new ImportedModel(new Network(n.name(), n.model(), n.input(), n.logits(), n.exampleShape(),
                n.numClasses(), n.parameters(), n.batchNorms(), domain), im.warnings());
    }

    /** The domain recorded by widerobust's export, or null. */
    static float[] declaredDomain(ModelProto model) {
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (e.getKey().equals(NetworkModelExport.DOMAIN_KEY) && !e.getValue().isEmpty()) {
                String[] p = e.getValue().split(",");
                float[] d = new float[p.length];
                for (int i = 0; i < p.length; i++) {
                    d[i] = Float.parseFloat(p[i]);
                }
                return d;
            }
        }
        return null;
    }
}
