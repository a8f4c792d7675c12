package org.widerobust.descriptors.reference;

import ai.onnx.proto.OnnxMl;

import java.util.HashMap;
import java.util.Map;

/** A node being evaluated: its attributes, the model's opset and helpers for error messages. */
final class NodeContext {

    private final OnnxMl.NodeProto node;
    private final int opset;
    private final Map<String, OnnxMl.AttributeProto> attributes = new HashMap<>();

    NodeContext(OnnxMl.NodeProto node, int opset) {
        this.node = node;
        this.opset = opset;
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
            attributes.put(a.getName(), a);
        }
    }

    int opset() {
        return opset;
    }

    String opType() {
        return node.getOpType();
    }

    String name() {
        return node.getName();
    }

    int outputCount() {
        return node.getOutputCount();
    }

    /** Whether output {@code i} is requested by the node (present and non-empty). */
    boolean wantsOutput(int i) {
        return i < node.getOutputCount() && !node.getOutput(i).isEmpty();
    }

    boolean has(String attr) {
        return attributes.containsKey(attr);
    }

    long attrInt(String attr, long def) {
        OnnxMl.AttributeProto a = attributes.get(attr);
        return a == null ? def : a.getI();
    }

    double attrFloat(String attr, double def) {
        OnnxMl.AttributeProto a = attributes.get(attr);
        return a == null ? def : a.getF();
    }

    String attrString(String attr, String def) {
        OnnxMl.AttributeProto a = attributes.get(attr);
        return a == null ? def : a.getS().toStringUtf8();
    }

    long[] attrInts(String attr, long[] def) {
        OnnxMl.AttributeProto a = attributes.get(attr);
        if (a == null) {
            return def;
        }
        long[] r = new long[a.getIntsCount()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.getInts(i);
        }
        return r;
    }

    double[] attrFloats(String attr, double[] def) {
        OnnxMl.AttributeProto a = attributes.get(attr);
        if (a == null) {
            return def;
        }
        double[] r = new double[a.getFloatsCount()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.getFloats(i);
        }
        return r;
    }

    OnnxMl.TensorProto attrTensor(String attr) {
        OnnxMl.AttributeProto a = attributes.get(attr);
        return a == null ? null : a.getT();
    }

    String describe() {
        return opType() + " node '" + name() + "'";
    }

    IllegalArgumentException error(String message) {
        return new IllegalArgumentException(describe() + ": " + message);
    }

    UnsupportedOperationException unsupported(String message) {
        return new UnsupportedOperationException(describe() + ": " + message);
    }

    /** Input {@code i}, failing with the node's name when a required input is missing. */
    DTensor require(DTensor[] inputs, int i) {
        if (i >= inputs.length || inputs[i] == null) {
            throw error("required input " + i + " is missing");
        }
        return inputs[i];
    }

    static DTensor optional(DTensor[] inputs, int i) {
        return i < inputs.length ? inputs[i] : null;
    }
}
