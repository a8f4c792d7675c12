package org.widerobust.adapters.imports;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.widerobust.descriptors.graph.Attr;

/**
 * Rewrites an exported classifier into the form widerobust attacks: only the nodes the logits need, the logits as
 * the one output, Dropout in inference form; and refuses batch normalisation exported in training mode.
 */
final class GraphCleanup {
    private GraphCleanup() {}

    /**
     * The graph cut down to the nodes {@code logits} depends on, with {@code logits} (of {@code type}) as its only
     * output; initializers, inputs and value infos nothing reads are dropped.
     */
    static ModelProto keepOnly(ModelProto model, String logits, TypeProto type) {
        GraphProto g = model.getGraph();
        Map<String, NodeProto> producer = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                producer.put(o, n);
            }
        }
        Set<String> needed = new HashSet<>();
        Set<NodeProto> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(logits));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (v.isEmpty() || !needed.add(v)) {
                continue;
            }
            NodeProto p = producer.get(v);
            if (p != null && keep.add(p)) {
                todo.addAll(p.getInputList());
                for (ai.onnx.proto.OnnxMl.AttributeProto a : p.getAttributeList()) {
                    if (a.hasG()) {
                        // A subgraph may read outer values by name: keep everything it could read.
                        a.getG().getNodeList().forEach(sn -> todo.addAll(sn.getInputList()));
                    }
                }
            }
        }
        GraphProto.Builder b = g.toBuilder().clearNode().clearInitializer().clearOutput().clearValueInfo();
        for (NodeProto n : g.getNodeList()) {
            if (keep.contains(n)) {
                b.addNode(n);
            }
        }
        for (TensorProto t : g.getInitializerList()) {
            if (needed.contains(t.getName())) {
                b.addInitializer(t);
            }
        }
        Set<String> initNames = new HashSet<>();
        g.getInitializerList().forEach(t -> initNames.add(t.getName()));
        b.clearInput();
        for (ValueInfoProto v : g.getInputList()) {
            if (!initNames.contains(v.getName()) || needed.contains(v.getName())) {
                b.addInput(v);
            }
        }
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (needed.contains(v.getName()) && !v.getName().equals(logits)) {
                b.addValueInfo(v);
            }
        }
        b.addOutput(ValueInfoProto.newBuilder().setName(logits).setType(type));
        return model.toBuilder().setGraph(b).build();
    }

    /** Dropout nodes exported in training mode ({@code training_mode} true) lose that input, with a warning each. */
    static ModelProto inferenceDropout(ModelProto model, List<String> warnings) {
        GraphProto g = model.getGraph();
        Map<String, TensorProto> constants = new HashMap<>();
        g.getInitializerList().forEach(t -> constants.put(t.getName(), t));
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Constant") && Attr.getTensor(n, "value") != null) {
                constants.put(n.getOutput(0), Attr.getTensor(n, "value"));
            }
        }
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (!n.getOpType().equals("Dropout") || n.getInputCount() < 3 || n.getInput(2).isEmpty()) {
                continue;
            }
            TensorProto t = constants.get(n.getInput(2));
            boolean training = t == null || isTrue(t);
            if (training) {
                warnings.add("Dropout node '" + n.getName() + "' was exported in training mode"
                        + (t == null ? " (training_mode is not a constant)" : "")
                        + "; it is evaluated as inference (no dropout); export with model.eval() to be sure");
                NodeProto.Builder nb = n.toBuilder();
                nb.setInput(2, "");
                b.setNode(i, nb);
            }
        }
        return model.toBuilder().setGraph(b).build();
    }

    /**
     * Refuses BatchNormalization exported in training mode (batch statistics instead of running ones).
     *
     * @throws ImportException one line naming the node and telling the user to export with {@code model.eval()}
     */
    static void refuseTrainingBatchNorm(Path source, ModelProto model) {
        List<String> nodes = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("BatchNormalization") && (Attr.getInt(n, "training_mode", 0) != 0
                    || n.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty()))) {
                nodes.add("'" + n.getName() + "'");
            }
        }
        if (!nodes.isEmpty()) {
            throw new ImportException(source, "BatchNormalization exported in training mode (node"
                    + (nodes.size() > 1 ? "s " : " ") + String.join(", ", nodes.subList(0, Math.min(3, nodes.size())))
                    + (nodes.size() > 3 ? " and " + (nodes.size() - 3) + " more" : "")
                    + "); export the model with model.eval() before torch.onnx.export");
        }
    }

    private static boolean isTrue(TensorProto t) {
        if (t.getDataType() != DataType.BOOL.getNumber()) {
            return true;
        }
        if (!t.getRawData().isEmpty()) {
            return t.getRawData().byteAt(0) != 0;
        }
        return t.getInt32DataCount() == 0 || t.getInt32Data(0) != 0;
    }
}
