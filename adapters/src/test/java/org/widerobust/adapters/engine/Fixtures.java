package org.widerobust.adapters.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test fixtures: the shared PyTorch oracle models and a minimal .npy reader. */
public final class Fixtures {
    private Fixtures() {}

    /** {@code <repo>/../shared}, from the {@code widerobust.shared} property Surefire sets. */
    public static Path shared() {
        String p = System.getProperty("widerobust.shared");
        Path dir = p != null ? Path.of(p) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(dir)) {
            dir = Path.of(System.getProperty("user.dir")).resolve("../../shared").normalize();
        }
        return dir;
    }

    /** {@code fixtures/pytorch/<model>/<file>}. */
    public static Path pytorch(String model, String file) {
        return shared().resolve("fixtures/pytorch").resolve(model).resolve(file);
    }

    /** A float32 .npy array: its shape and values. */
    public record FloatArray(long[] shape, float[] data) {}

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    // TODO: use adapters.data.Npy
    /** Reads a little-endian float32, C-order .npy file (format versions 1 to 3). */
    public static FloatArray readFloatNpy(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get() != (byte) 0x93 || b.get() != 'N' || b.get() != 'U') {
            throw new IOException(file + ": not an .npy file");
        }
        b.position(6);
        int major = b.get();
        b.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        if (!header.contains("'descr': '<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException(file + ": expected little-endian float32 in C order, header " + header);
        }
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": no shape in header " + header);
        }
        long[] shape = java.util.Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] data = new float[Math.toIntExact(n)];
        b.asFloatBuffer().get(data);
        return new FloatArray(shape, data);
    }

    /** ||a - b|| / ||b||. */
    public static double relativeL2(float[] a, float[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }
}
