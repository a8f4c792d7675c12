package org.widerobust.descriptors.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

import java.util.Arrays;

/** ONNX node attributes: factories for building them and typed readers with defaults. */
public final class Attr {
    private Attr() {}

    public static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
    }

    public static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(v).build();
    }

    public static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    public static AttributeProto s(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    public static AttributeProto tensor(String name, TensorProto t) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(t).build();
    }

    private static AttributeProto find(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    public static boolean has(NodeProto node, String name) {
        return find(node, name) != null;
    }

    public static long getInt(NodeProto node, String name, long dflt) {
        AttributeProto a = find(node, name);
        return a == null ? dflt : a.getI();
    }

    public static float getFloat(NodeProto node, String name, float dflt) {
        AttributeProto a = find(node, name);
        return a == null ? dflt : a.getF();
    }

    public static String getString(NodeProto node, String name, String dflt) {
        AttributeProto a = find(node, name);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    /** Reads an INTS attribute, or returns {@code dflt} (which may be null) when absent. */
    public static long[] getInts(NodeProto node, String name, long[] dflt) {
        AttributeProto a = find(node, name);
        if (a == null) {
            return dflt;
        }
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    public static TensorProto getTensor(NodeProto node, String name) {
        AttributeProto a = find(node, name);
        return a == null ? null : a.getT();
    }

    /** Returns {@code n} copies of {@code v}. */
    public static long[] repeat(long v, int n) {
        long[] out = new long[n];
        Arrays.fill(out, v);
        return out;
    }
}
