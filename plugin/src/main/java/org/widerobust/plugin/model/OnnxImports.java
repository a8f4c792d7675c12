package org.widerobust.plugin.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.widerobust.adapters.imports.ImportedModel;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.train.NetworkModelExport;

/**
 * Imports ONNX classifiers for attack, on top of {@link OnnxClassifierImporter}: a final {@code Softmax} or
 * {@code LogSoftmax} (Tribuo's classifier convention, and widerobust's own export) is recognised and removed, so the
 * attacks work on the logits before it, and a warning says so; the declared input domain that widerobust's export
 * records ({@value NetworkModelExport#DOMAIN_KEY}) replaces the default [0, 1].
 */
public final class OnnxImports {
    private OnnxImports() {}

    /** Reads and imports a file (errors as {@link OnnxClassifierImporter} reports them). */
    public static ImportedModel load(Path file) {
        ModelProto m;
        try {
            m = ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            return OnnxClassifierImporter.loadWithWarnings(file); // throws its one-line ImportException
        }
        return fromModel(file, m);
    }

    /** Imports an in-memory model read from {@code source}. */
    public static ImportedModel fromModel(Path source, ModelProto model) {
        List<String> warnings = new ArrayList<>();
        ModelProto logits = stripSoftmax(model, warnings);
        ImportedModel im = OnnxClassifierImporter.fromModel(source, logits, InputDomain.UNIT);
        warnings.addAll(im.warnings());
        float[] domain = declaredDomain(model);
        Network n = im.network();
        if (domain != null) {
            n = new Network(n.name(), n.model(), n.input(), n.logits(), n.exampleShape(), n.numClasses(),
                    n.parameters(), n.batchNorms(), domain);
        }
        return new ImportedModel(n, warnings);
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

    /**
     * The model without a final Softmax/LogSoftmax (through an optional Identity), its input becoming the output;
     * the model itself if it has none.
     */
    static ModelProto stripSoftmax(ModelProto model, List<String> warnings) {
        GraphProto g = model.getGraph();
        if (g.getOutputCount() != 1) {
            return model;
        }
        String out = g.getOutput(0).getName();
        List<NodeProto> nodes = g.getNodeList();
        List<Integer> removed = new ArrayList<>();
        int p = producer(nodes, out);
        if (p >= 0 && nodes.get(p).getOpType().equals("Identity") && consumers(nodes, out) == 0) {
            removed.add(p);
            out = nodes.get(p).getInput(0);
            p = producer(nodes, out);
        }
        if (p < 0) {
            return model;
        }
        NodeProto head = nodes.get(p);
        String op = head.getOpType();
        if (!(op.equals("Softmax") || op.equals("LogSoftmax")) || consumers(nodes, out) > (removed.isEmpty() ? 0 : 1)) {
            return model;
        }
        removed.add(p);
        String logits = head.getInput(0);
        GraphProto.Builder b = g.toBuilder().clearNode();
        for (int i = 0; i < nodes.size(); i++) {
            if (!removed.contains(i)) {
                b.addNode(nodes.get(i));
            }
        }
        ValueInfoProto o = g.getOutput(0).toBuilder().setName(logits).build();
        b.clearOutput().addOutput(o);
        warnings.add("the graph ends in " + op + " (node '" + head.getName() + "'); attacking the logits '" + logits
                + "' before it");
        return model.toBuilder().setGraph(b).build();
    }

    private static int producer(List<NodeProto> nodes, String value) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (nodes.get(i).getOutputList().contains(value)) {
                return i;
            }
        }
        return -1;
    }

    private static int consumers(List<NodeProto> nodes, String value) {
        int c = 0;
        for (NodeProto n : nodes) {
            if (n.getInputList().contains(value)) {
                c++;
            }
        }
        return c;
    }
}
