package org.widerobust.adapters.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.widerobust.adapters.data.Npy;

/** Test fixtures: the shared PyTorch oracle models and their .npy arrays. */
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

    /** Reads a float32 .npy file. */
    public static FloatArray readFloatNpy(Path file) throws IOException {
        Npy.Array a = Npy.read(file);
        return new FloatArray(a.shape(), a.toFloats());
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
