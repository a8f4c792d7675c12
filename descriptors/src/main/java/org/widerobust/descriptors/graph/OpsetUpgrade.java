package org.widerobust.descriptors.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a graph of ONNX opset 11 or 12 into opset 13, with the semantics of ONNX's version converter for the
 * ops whose form changed: {@code Split}'s sizes, {@code Squeeze}/{@code Unsqueeze}/{@code ReduceSum}'s axes move
 * from attributes to inputs; {@code Dropout}'s ratio attribute (opset 10) is dropped (inference ignores it).
 * {@code Softmax}, {@code LogSoftmax} and {@code Hardmax} before 13 normalise the flattened axes from {@code axis}
 * on; they keep their meaning only when that is the last axis alone, and are refused otherwise. Every other op
 * keeps its meaning from 11 to 13 (the changes are added types and attributes with defaults).
 */
public final class OpsetUpgrade {
    /** The opset graphs are upgraded to. */
    public static final int TARGET = 13;
    /** The oldest opset upgraded. */
    public static final int OLDEST = 11;

    /**
     * The upgraded model, or the refusals.
     *
     * @param model    the model at opset {@link #TARGET} (or the input when it already was at least that), or null
     * @param refusals for each node that cannot keep its meaning: node name (or first output) to the reason
     */
    public record Result(ModelProto model, Map<NodeProto, String> refusals) {}

    private OpsetUpgrade() {}

    /** Upgrades a model of opset 11 or 12 to 13; models of opset 13 or later come back unchanged. */
    public static Result toOpset13(ModelProto model) {
        int opset = GraphBuilder.opsetOf(model);
        if (opset >= TARGET) {
            return new Result(model, Map.of());
        }
        Map<NodeProto, String> refusals = new java.util.LinkedHashMap<>();
        if (opset < OLDEST) {
            refusals.put(model.getGraph().getNode(0), "opset " + opset + " is older than " + OLDEST
                    + " (re-export with opset_version=17)");
            return new Result(null, refusals);
        }
        ShapeInference shapes = ShapeInference.of(model);
        GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> names = new HashSet<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            names.addAll(n.getOutputList());
        }
        model.getGraph().getInitializerList().forEach(t -> names.add(t.getName()));
        int[] counter = {0};
        List<NodeProto> nodes = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            switch (n.getOpType()) {
                case "Split" -> nodes.add(attributeToInput(n, "split", 1, g, names, counter));
                case "Squeeze", "Unsqueeze", "ReduceSum" -> nodes.add(attributeToInput(n, "axes", 1, g, names,
                        counter));
                case "Dropout" -> nodes.add(n.toBuilder().clearAttribute().addAllAttribute(
                        n.getAttributeList().stream().filter(a -> !a.getName().equals("ratio")).toList()).build());
                case "Softmax", "LogSoftmax", "Hardmax" -> {
                    String in = n.getInput(0);
                    if (!shapes.hasShape(in)) {
                        refusals.put(n, "cannot tell the rank of its input, so not whether opset " + opset
                                + "'s flattening axis keeps its meaning at opset 13");
                        nodes.add(n);
                        continue;
                    }
                    int rank = shapes.shape(in).length;
                    int axis = Shapes.axis(Attr.getInt(n, "axis", 1), rank);
                    if (axis != rank - 1) {
                        refusals.put(n, "normalises axes " + axis + ".." + (rank - 1) + " together (opset " + opset
                                + " semantics), which opset 13 cannot express in one op; re-export with "
                                + "opset_version=13 or later");
                        nodes.add(n);
                        continue;
                    }
                    nodes.add(n.toBuilder().clearAttribute().addAttribute(Attr.i("axis", axis)).build());
                }
                default -> nodes.add(n);
            }
        }
        if (!refusals.isEmpty()) {
            return new Result(null, refusals);
        }
        g.clearNode().addAllNode(nodes);
        ModelProto.Builder m = model.toBuilder().setGraph(g).clearOpsetImport();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            boolean onnx = o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx");
            m.addOpsetImport(onnx ? o.toBuilder().setVersion(TARGET).build() : o);
        }
        return new Result(m.build(), Map.of());
    }

    /** Moves an ints attribute to an int64 initializer input at {@code position} (absent attribute: unchanged). */
    private static NodeProto attributeToInput(NodeProto n, String attr, int position, GraphProto.Builder g,
                                              Set<String> names, int[] counter) {
        long[] v = Attr.getInts(n, attr, null);
        if (v == null) {
            return n;
        }
        String name;
        do {
            name = (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "_" + attr + (counter[0]++ == 0 ? ""
                    : "_" + counter[0]);
        } while (!names.add(name));
        g.addInitializer(Tensors.longs(name, new long[] {v.length}, v));
        NodeProto.Builder b = n.toBuilder().clearAttribute();
        for (AttributeProto a : n.getAttributeList()) {
            if (!a.getName().equals(attr)) {
                b.addAttribute(a);
            }
        }
        while (b.getInputCount() < position) {
            b.addInput("");
        }
        if (b.getInputCount() == position) {
            b.addInput(name);
        } else {
            b.setInput(position, name);
        }
        return b.build();
    }
}
