package org.widerobust.plugin.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.widerobust.adapters.imports.ImportedModel;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.train.NetworkModelExport;

/**
 * Imports ONNX classifiers for attack through {@link OnnxClassifierImporter} (which chooses the logits output and
 * steps back over a final {@code Softmax}/{@code LogSoftmax}, as in Tribuo's classifier convention and widerobust's own
 * export, with a warning), adding what only widerobust's export records: its declared input domain
 * ({@value NetworkModelExport#DOMAIN_KEY}) replaces the default [0, 1], divided by the scale the graph applies to
 * its raw inputs ({@value NetworkModelExport#SCALE_KEY}), so that attacks project into the box of the file's own
 * input units.
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
        float scale = declaredScale(model);
        List<String> warnings = new ArrayList<>(im.warnings());
        if (scale != 1f) {
            // the export multiplies the raw features by the scale inside its graph, so the file's inputs are raw
            // features: its domain, in the network's units, is divided by the scale
            float[] network = domain;
            domain = new float[network.length];
            int half = network.length / 2; // the lower bounds come first, for one box as for per-feature bounds
            for (int i = 0; i < network.length; i++) {
                domain[i] = rawBound(network[i], scale, i >= half);
            }
            warnings.add(String.format(Locale.ROOT, "the graph multiplies its inputs by %s (%s): it takes raw "
                    + "features in %s, and an attack's epsilon is in those units", scale, NetworkModelExport.SCALE_KEY,
                    InputDomain.describe(domain)));
        }
        Network n = im.network();
        return new ImportedModel(new Network(n.name(), n.model(), n.input(), n.logits(), n.exampleShape(),
                n.numClasses(), n.parameters(), n.batchNorms(), domain), warnings);
    }

    /**
     * The raw feature value that the graph's float product {@code x · scale} maps onto a bound in the network's
     * units: the largest such x for an upper bound, the smallest for a lower one (with scale = (float) 1/255, raw 255
     * maps to exactly 1, although 1 / scale is 254.99998).
     */
    static float rawBound(float bound, float scale, boolean upper) {
        if (Float.isInfinite(bound) || bound == 0f) {
            return bound;
        }
        float x = (float) (bound / (double) scale);
        if (upper) {
            while (Math.nextUp(x) * scale <= bound) {
                x = Math.nextUp(x);
            }
            while (x * scale > bound) {
                x = Math.nextDown(x);
            }
        } else {
            while (Math.nextDown(x) * scale >= bound) {
                x = Math.nextDown(x);
            }
            while (x * scale < bound) {
                x = Math.nextUp(x);
            }
        }
        return x;
    }

    /** The factor widerobust's export applies to the features inside the graph, or 1. */
    static float declaredScale(ModelProto model) {
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (e.getKey().equals(NetworkModelExport.SCALE_KEY) && !e.getValue().isEmpty()) {
                float s = Float.parseFloat(e.getValue());
                return s > 0 && Float.isFinite(s) ? s : 1f;
            }
        }
        return 1f;
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
