package org.widerobust.adapters.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.widerobust.adapters.files.AtomicFiles;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0 on read; 1.0, or 2.0 for huge
 * headers, on write). Supported element types: little-endian {@code float32} ({@code <f4}), {@code float64}
 * ({@code <f8}), {@code int64} ({@code <i8}), {@code int32} ({@code <i4}) and {@code uint8} ({@code |u1}); C order
 * only. Errors name the file and the problem ({@link NpyFormatException}).
 * <p>
 * Example, reading a PyTorch fixture saved with {@code np.save}: {@code Npy.Array x = Npy.read(path);
 * float[] pixels = x.toFloats(); long[] shape = x.shape();}
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Element types supported. */
    public enum DType {
        /** 32-bit float. */ FLOAT32("<f4", 4),
        /** 64-bit float. */ FLOAT64("<f8", 8),
        /** 64-bit signed integer. */ INT64("<i8", 8),
        /** 32-bit signed integer. */ INT32("<i4", 4),
        /** unsigned byte. */ UINT8("|u1", 1);

        /** NumPy descr string written. */
        public final String descr;
        /** Bytes per element. */
        public final int bytes;

        DType(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        static DType parse(String d) {
            switch (d) {
                case "<f4": return FLOAT32;
                case "<f8": return FLOAT64;
                case "<i8": return INT64;
                case "<i4": return INT32;
                case "|u1": case "<u1": case "u1": return UINT8;
                default: return null;
            }
        }
    }

    /** Unchecked error for a malformed or unsupported {@code .npy} file. */
    public static final class NpyFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Path file;

        /**
         * @param file the file (may be null for streams).
         * @param problem what is wrong.
         */
        public NpyFormatException(Path file, String problem) {
            super((file == null ? "<stream>" : file.toString()) + ": " + problem);
            this.file = file;
        }

        /** @return the file, or null. */
        public Path file() { return file; }
    }

    /**
     * An array read from a {@code .npy} file: one of {@code float[]}, {@code double[]}, {@code long[]},
     * {@code int[]}, {@code byte[]} (uint8, raw bits) plus its shape.
     * @param dtype element type.
     * @param shape dimensions ({@code {}} for a scalar).
     * @param data the primitive array.
     */
    public record Array(DType dtype, long[] shape, Object data) {
        /** @return number of elements. */
        public int length() { return java.lang.reflect.Array.getLength(data); }

        /** @return the values as floats (converted when needed; uint8 as 0..255). */
        public float[] toFloats() {
            switch (dtype) {
                case FLOAT32: return ((float[]) data).clone();
                case FLOAT64: { double[] d = (double[]) data; float[] f = new float[d.length]; for (int i = 0; i < d.length; i++) f[i] = (float) d[i]; return f; }
                case INT64: { long[] d = (long[]) data; float[] f = new float[d.length]; for (int i = 0; i < d.length; i++) f[i] = d[i]; return f; }
                case INT32: { int[] d = (int[]) data; float[] f = new float[d.length]; for (int i = 0; i < d.length; i++) f[i] = d[i]; return f; }
                default: { byte[] d = (byte[]) data; float[] f = new float[d.length]; for (int i = 0; i < d.length; i++) f[i] = d[i] & 0xFF; return f; }
            }
        }

        /** @return the values as ints; integer types only, int64 values must fit. */
        public int[] toInts() {
            switch (dtype) {
                case INT32: return ((int[]) data).clone();
                case INT64: { long[] d = (long[]) data; int[] r = new int[d.length]; for (int i = 0; i < d.length; i++) r[i] = Math.toIntExact(d[i]); return r; }
                case UINT8: { byte[] d = (byte[]) data; int[] r = new int[d.length]; for (int i = 0; i < d.length; i++) r[i] = d[i] & 0xFF; return r; }
                default: throw new IllegalStateException("Cannot convert " + dtype + " to int labels");
            }
        }

        /** @return the values as longs; integer types only. */
        public long[] toLongs() {
            if (dtype == DType.INT64) return ((long[]) data).clone();
            int[] i = toInts();
            long[] r = new long[i.length];
            for (int j = 0; j < i.length; j++) r[j] = i[j];
            return r;
        }
    }

    /**
     * Reads a {@code .npy} file.
     * @param file the file.
     * @return the array.
     * @throws IOException if the file cannot be read.
     * @throws NpyFormatException if the content is malformed, truncated or unsupported.
     */
    public static Array read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file);
        }
    }

    /**
     * Reads a {@code .npy} stream (consumes the array; trailing bytes are an error).
     * @param in the stream.
     * @param file used in error messages (may be null).
     * @return the array.
     * @throws IOException on read failure.
     */
    public static Array read(InputStream in, Path file) throws IOException {
        DataInputStream din = new DataInputStream(in);
        byte[] magic = new byte[6];
        try {
            din.readFully(magic);
        } catch (EOFException e) {
            throw new NpyFormatException(file, "truncated: shorter than the 6-byte .npy magic string");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new NpyFormatException(file, "not a .npy file (bad magic string)");
        }
        int major, headerLen;
        try {
            major = din.readUnsignedByte();
            din.readUnsignedByte();
            byte[] lenBytes = new byte[major == 1 ? 2 : 4];
            if (major < 1 || major > 3) {
                throw new NpyFormatException(file, "unsupported .npy format version " + major);
            }
            din.readFully(lenBytes);
            ByteBuffer lb = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
            headerLen = major == 1 ? Short.toUnsignedInt(lb.getShort()) : lb.getInt();
        } catch (EOFException e) {
            throw new NpyFormatException(file, "truncated in the header");
        }
        if (headerLen < 0 || headerLen > (1 << 24)) {
            throw new NpyFormatException(file, "implausible header length " + headerLen);
        }
        byte[] hb = new byte[headerLen];
        try {
            din.readFully(hb);
        } catch (EOFException e) {
            throw new NpyFormatException(file, "truncated in the header (expected " + headerLen + " header bytes)");
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher md = DESCR.matcher(header), mf = FORTRAN.matcher(header), ms = SHAPE.matcher(header);
        if (!md.find() || !mf.find() || !ms.find()) {
            throw new NpyFormatException(file, "malformed header (need descr, fortran_order and shape): " + header.trim());
        }
        DType dtype = DType.parse(md.group(1));
        if (dtype == null) {
            throw new NpyFormatException(file, "unsupported dtype '" + md.group(1)
                    + "' (supported: little-endian float32, float64, int64, int32, and uint8)");
        }
        if (mf.group(1).equals("True")) {
            throw new NpyFormatException(file, "Fortran-order arrays are not supported; save with C order");
        }
        long[] shape;
        try {
            shape = Arrays.stream(ms.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new NpyFormatException(file, "malformed shape '(" + ms.group(1) + ")'");
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0) throw new NpyFormatException(file, "negative dimension in shape " + Arrays.toString(shape));
            count = Math.multiplyExact(count, d);
        }
        if (count * dtype.bytes > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException(file, "array too large for one Java array: shape " + Arrays.toString(shape));
        }
        int n = (int) count;
        byte[] raw = new byte[n * dtype.bytes];
        int got = din.readNBytes(raw, 0, raw.length);
        if (got != raw.length) {
            throw new NpyFormatException(file, "truncated data: expected " + raw.length + " bytes for shape "
                    + Arrays.toString(shape) + " " + dtype.descr + ", found " + got);
        }
        if (din.read() != -1) {
            throw new NpyFormatException(file, "trailing bytes after the data of shape " + Arrays.toString(shape));
        }
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        Object data;
        switch (dtype) {
            case FLOAT32: { float[] a = new float[n]; bb.asFloatBuffer().get(a); data = a; break; }
            case FLOAT64: { double[] a = new double[n]; bb.asDoubleBuffer().get(a); data = a; break; }
            case INT64: { long[] a = new long[n]; bb.asLongBuffer().get(a); data = a; break; }
            case INT32: { int[] a = new int[n]; bb.asIntBuffer().get(a); data = a; break; }
            default: data = raw;
        }
        return new Array(dtype, shape, data);
    }

    /**
     * Writes float32 data.
     * @param file destination.
     * @param data values, C order.
     * @param shape dimensions (product must equal {@code data.length}).
     * @throws IOException on write failure.
     */
    public static void write(Path file, float[] data, long... shape) throws IOException {
        check(data.length, shape);
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        write(file, DType.FLOAT32, shape, bb.array());
    }

    /**
     * Writes float64 data.
     * @param file destination.
     * @param data values.
     * @param shape dimensions.
     * @throws IOException on write failure.
     */
    public static void write(Path file, double[] data, long... shape) throws IOException {
        check(data.length, shape);
        ByteBuffer bb = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asDoubleBuffer().put(data);
        write(file, DType.FLOAT64, shape, bb.array());
    }

    /**
     * Writes int64 data.
     * @param file destination.
     * @param data values.
     * @param shape dimensions.
     * @throws IOException on write failure.
     */
    public static void write(Path file, long[] data, long... shape) throws IOException {
        check(data.length, shape);
        ByteBuffer bb = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(data);
        write(file, DType.INT64, shape, bb.array());
    }

    /**
     * Writes int32 data.
     * @param file destination.
     * @param data values.
     * @param shape dimensions.
     * @throws IOException on write failure.
     */
    public static void write(Path file, int[] data, long... shape) throws IOException {
        check(data.length, shape);
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asIntBuffer().put(data);
        write(file, DType.INT32, shape, bb.array());
    }

    /**
     * Writes uint8 data.
     * @param file destination.
     * @param data values (raw bits, read as 0..255).
     * @param shape dimensions.
     * @throws IOException on write failure.
     */
    public static void write(Path file, byte[] data, long... shape) throws IOException {
        check(data.length, shape);
        write(file, DType.UINT8, shape, data);
    }

    private static void check(int n, long[] shape) {
        long c = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("Negative dimension in " + Arrays.toString(shape));
            c *= d;
        }
        if (c != n) throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " needs " + c + " elements, got " + n);
    }

    private static void write(Path file, DType dtype, long[] shape, byte[] payload) throws IOException {
        StringBuilder sb = new StringBuilder("{'descr': '").append(dtype.descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) sb.append(", ");
        }
        if (shape.length == 1) sb.setLength(sb.length() - 1);
        sb.append("), }");
        boolean v2 = sb.length() + 12 > 65535;
        int prefix = v2 ? 12 : 10;
        int total = prefix + sb.length() + 1;
        int pad = (64 - total % 64) % 64;
        sb.append(" ".repeat(pad)).append('\n');
        byte[] header = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        AtomicFiles.write(file, out -> {
            out.write(MAGIC);
            out.write(v2 ? 2 : 1);
            out.write(0);
            ByteBuffer lb = ByteBuffer.allocate(v2 ? 4 : 2).order(ByteOrder.LITTLE_ENDIAN);
            if (v2) lb.putInt(header.length); else lb.putShort((short) header.length);
            out.write(lb.array());
            out.write(header);
            out.write(payload);
        });
    }
}
