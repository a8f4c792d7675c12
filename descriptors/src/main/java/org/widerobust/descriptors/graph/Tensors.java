package org.widerobust.descriptors.graph;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between Java arrays and ONNX {@link TensorProto}s (raw little-endian data). */
public final class Tensors {
    private Tensors() {}

    public static TensorProto floats(String name, long[] dims, float[] values) {
        checkSize(name, dims, values.length);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.getNumber())
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(buf.array())).build();
    }

    public static TensorProto longs(String name, long[] dims, long[] values) {
        checkSize(name, dims, values.length);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(DataType.INT64.getNumber())
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(buf.array())).build();
    }

    public static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** Reads a FLOAT or DOUBLE tensor as floats. */
    public static float[] toFloats(TensorProto t) {
        int n = Math.toIntExact(Shapes.size(dims(t)));
        float[] out = new float[n];
        if (t.getDataType() == DataType.FLOAT.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = t.getFloatData(i);
                }
            }
        } else if (t.getDataType() == DataType.DOUBLE.getNumber()) {
            if (!t.getRawData().isEmpty()) {
                var b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.get(i);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) t.getDoubleData(i);
                }
            }
        } else {
            throw new GraphException("tensor '" + t.getName() + "' has data type " + t.getDataType()
                    + ", expected FLOAT or DOUBLE");
        }
        return out;
    }

    /** Reads an INT64 or INT32 tensor as longs. */
    public static long[] toLongs(TensorProto t) {
        int n = Math.toIntExact(Shapes.size(dims(t)));
        long[] out = new long[n];
        boolean raw = !t.getRawData().isEmpty();
        if (t.getDataType() == DataType.INT64.getNumber()) {
            if (raw) {
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = t.getInt64Data(i);
                }
            }
        } else if (t.getDataType() == DataType.INT32.getNumber()) {
            var b = raw ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer() : null;
            for (int i = 0; i < n; i++) {
                out[i] = raw ? b.get(i) : t.getInt32Data(i);
            }
        } else {
            throw new GraphException("tensor '" + t.getName() + "' has data type " + t.getDataType()
                    + ", expected INT64 or INT32");
        }
        return out;
    }

    private static void checkSize(String name, long[] dims, int n) {
        if (Shapes.size(dims) != n) {
            throw new GraphException("tensor '" + name + "': " + n + " values do not fill shape "
                    + Shapes.str(dims));
        }
    }

    private static java.util.List<Long> boxed(long[] dims) {
        java.util.List<Long> l = new java.util.ArrayList<>(dims.length);
        for (long d : dims) {
            l.add(d);
        }
        return l;
    }
}
