package org.widerobust.plugin.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.widerobust.adapters.data.Npy;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.adapters.network.NetworkSession;

/** A PyTorch fixture model ({@code ../shared/fixtures/pytorch/NAME}) with its data, in a session on an engine. */
final class Fixture implements AutoCloseable {
    final String name;
    final NetworkSession session;
    final NetworkTarget target;
    final float[] x;
    final int[] y;
    final int[] pgd20Pred;
    final JsonNode reference;
    final int len;

    private Fixture(String name, Engine engine) {
        this.name = name;
        Path dir = dir(name);
        try {
            session = new NetworkSession(engine, OnnxClassifierImporter.load(dir.resolve("model.onnx")));
            x = Npy.read(dir.resolve("x.npy")).toFloats();
            y = toInts(Npy.read(dir.resolve("y.npy")).toLongs());
            pgd20Pred = toInts(Npy.read(dir.resolve("pgd20_pred.npy")).toLongs());
            reference = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        target = new NetworkTarget(session);
        len = target.exampleLength();
    }

    static Fixture load(String name, Engine engine) {
        return new Fixture(name, engine);
    }

    static Path dir(String name) {
        return Path.of(System.getProperty("widerobust.shared", "../shared"), "fixtures", "pytorch", name);
    }

    /** The first {@code n} inputs. */
    float[] x(int n) {
        return Arrays.copyOf(x, n * len);
    }

    int[] y(int n) {
        return Arrays.copyOf(y, n);
    }

    /** Robust accuracy of the first n examples without attack. */
    double cleanAccuracy(int n) {
        float[] z = new float[n * target.numClasses()];
        target.logits(x(n), n, z);
        int[] p = Scores.predictions(z, n, target.numClasses());
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += p[i] == y[i] ? 1 : 0;
        }
        return c / (double) n;
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    @Override
    public void close() {
        session.close();
    }
}
