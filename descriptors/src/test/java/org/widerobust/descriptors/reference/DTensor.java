package org.widerobust.descriptors.reference;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Dense tensor in double precision. Elements are stored row-major (C order); {@link #type()} records the ONNX
 * element type the tensor stands for (integers and booleans are held as exact doubles, booleans as 0 and 1).
 * Tensors are treated as immutable by the interpreter: {@link #data()} exposes the backing array for speed and
 * must not be modified by callers holding a tensor that is also used elsewhere.
 */
public final class DTensor {

    /** The ONNX element types the interpreter distinguishes. */
    public enum DType {
        FLOAT(OnnxMl.TensorProto.DataType.FLOAT_VALUE),
        DOUBLE(OnnxMl.TensorProto.DataType.DOUBLE_VALUE),
        INT64(OnnxMl.TensorProto.DataType.INT64_VALUE),
        INT32(OnnxMl.TensorProto.DataType.INT32_VALUE),
        BOOL(OnnxMl.TensorProto.DataType.BOOL_VALUE);

        private final int onnxCode;

        DType(int onnxCode) {
            this.onnxCode = onnxCode;
        }

        /** The {@code TensorProto.DataType} number of this type. */
        public int onnxCode() {
            return onnxCode;
        }

        /** Maps a {@code TensorProto.DataType} number to a DType; throws for types the interpreter lacks. */
        public static DType fromOnnx(int code) {
            for (DType t : values()) {
                if (t.onnxCode == code) {
                    return t;
                }
            }
            throw new UnsupportedOperationException("ONNX element type " + code + " ("
                    + OnnxMl.TensorProto.DataType.forNumber(code) + ") is not supported by the reference interpreter");
        }

        /** Whether values of this type are integral (INT64, INT32, BOOL). */
        public boolean isIntegral() {
            return this == INT64 || this == INT32 || this == BOOL;
        }

        /** Converts a double to the value this type would hold: truncation toward zero for integers, 0/1 for BOOL. */
        public double convert(double v) {
            switch (this) {
                case INT64:
                    return (double) (long) v;
                case INT32:
                    return (double) (int) v;
                case BOOL:
                    return v != 0 ? 1 : 0;
                default:
                    return v;
            }
        }
    }

    private final DType type;
    private final long[] shape;
    private final double[] data;

    public DTensor(DType type, long[] shape, double[] data) {
        this.type = type;
        this.shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        long n = Shapes.product(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " elements but data has " + data.length);
        }
        this.data = data;
    }

    /** A FLOAT tensor. */
    public static DTensor of(long[] shape, double[] data) {
        return new DTensor(DType.FLOAT, shape, data);
    }

    /** A FLOAT tensor widened from float data. */
    public static DTensor ofFloats(long[] shape, float[] data) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        return new DTensor(DType.FLOAT, shape, d);
    }

    /** An INT64 tensor. */
    public static DTensor ofLongs(long[] shape, long[] data) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        return new DTensor(DType.INT64, shape, d);
    }

    /** A rank-0 FLOAT tensor. */
    public static DTensor scalar(double v) {
        return new DTensor(DType.FLOAT, new long[0], new double[]{v});
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** The backing array (row-major); see the class comment about mutation. */
    public double[] data() {
        return data;
    }

    public DType type() {
        return type;
    }

    public int size() {
        return data.length;
    }

    public int rank() {
        return shape.length;
    }

    /** Dimension {@code axis}, negative axes counting from the end. */
    public long dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    /** The same values under another element type, converted by {@link DType#convert}. */
    public DTensor cast(DType to) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = to.convert(data[i]);
        }
        return new DTensor(to, shape, d);
    }

    /** The same data viewed under another shape with the same element count. */
    public DTensor reshape(long[] newShape) {
        return new DTensor(type, newShape, data);
    }

    public float[] toFloats() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return f;
    }

    public long[] toLongs() {
        long[] l = new long[data.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) data[i];
        }
        return l;
    }

    /** Reads a TensorProto from raw_data (little-endian) or the typed repeated fields. External data is not read. */
    public static DTensor fromProto(OnnxMl.TensorProto t) {
        DType type = DType.fromOnnx(t.getDataType());
        long[] shape = new long[t.getDimsCount()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.getDims(i);
        }
        int n = (int) Shapes.product(shape);
        double[] d = new double[n];
        if (t.getExternalDataCount() > 0) {
            throw new UnsupportedOperationException("tensor '" + t.getName() + "' uses external data");
        }
        if (t.hasRawData() && !t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                switch (type) {
                    case FLOAT: d[i] = b.getFloat(); break;
                    case DOUBLE: d[i] = b.getDouble(); break;
                    case INT64: d[i] = b.getLong(); break;
                    case INT32: d[i] = b.getInt(); break;
                    case BOOL: d[i] = b.get() != 0 ? 1 : 0; break;
                    default: throw new AssertionError(type);
                }
            }
            return new DTensor(type, shape, d);
        }
        int count;
        switch (type) {
            case FLOAT:
                count = t.getFloatDataCount();
                for (int i = 0; i < Math.min(n, count); i++) d[i] = t.getFloatData(i);
                break;
            case DOUBLE:
                count = t.getDoubleDataCount();
                for (int i = 0; i < Math.min(n, count); i++) d[i] = t.getDoubleData(i);
                break;
            case INT64:
                count = t.getInt64DataCount();
                for (int i = 0; i < Math.min(n, count); i++) d[i] = t.getInt64Data(i);
                break;
            default:
                count = t.getInt32DataCount();
                for (int i = 0; i < Math.min(n, count); i++) d[i] = type == DType.BOOL ? (t.getInt32Data(i) != 0 ? 1 : 0) : t.getInt32Data(i);
                break;
        }
        if (count != n) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' of shape " + Arrays.toString(shape)
                    + " has " + count + " stored elements");
        }
        return new DTensor(type, shape, d);
    }

    /** Writes this tensor as a TensorProto with little-endian raw_data (FLOAT values are rounded to float). */
    public OnnxMl.TensorProto toProto(String name) {
        int width = type == DType.BOOL ? 1 : (type == DType.FLOAT || type == DType.INT32) ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(width * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : data) {
            switch (type) {
                case FLOAT: b.putFloat((float) v); break;
                case DOUBLE: b.putDouble(v); break;
                case INT64: b.putLong((long) v); break;
                case INT32: b.putInt((int) v); break;
                case BOOL: b.put((byte) (v != 0 ? 1 : 0)); break;
                default: throw new AssertionError(type);
            }
        }
        b.flip();
        OnnxMl.TensorProto.Builder tb = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.onnxCode())
                .setRawData(ByteString.copyFrom(b));
        for (long s : shape) {
            tb.addDims(s);
        }
        return tb.build();
    }

    @Override
    public String toString() {
        String values = data.length <= 16 ? Arrays.toString(data)
                : Arrays.toString(Arrays.copyOf(data, 16)).replace("]", ", ...]");
        return "DTensor{" + type + " " + Arrays.toString(shape) + " " + values + "}";
    }
}
