package org.widerobust.adapters.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.adapters.engine.CompiledGraph;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.adapters.engine.Fixtures;
import org.widerobust.adapters.engine.Fixtures.FloatArray;
import org.widerobust.descriptors.network.Network;

/** Imported PyTorch classifiers run by the engine reproduce PyTorch's logits. */
class PyTorchOracleTest extends CpuEngineTest {
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "miniwrn"})
    void logitsMatchPyTorch(String model) throws IOException {
        Network net = OnnxClassifierImporter.load(Fixtures.pytorch(model, "model.onnx"));
        FloatArray x = Fixtures.readFloatNpy(Fixtures.pytorch(model, "x.npy"));
        FloatArray expected = Fixtures.readFloatNpy(Fixtures.pytorch(model, "logits.npy"));
        assertArrayEquals(new long[] {256, 1, 28, 28}, x.shape());
        try (CompiledGraph g = engine.compile(net.model(), net.name())) {
            long[] shape = {256, 1, 28, 28};
            g.floatInput(net.input(), shape).put(x.data());
            g.run(List.of(net.logits()));
            assertArrayEquals(new long[] {256, net.numClasses()}, g.outputShape(net.logits()));
            assertTrue(g.wasPinned(net.logits()));
            float[] logits = g.floatOutputArray(net.logits());
            double rel = Fixtures.relativeL2(logits, expected.data());
            assertTrue(rel <= 1e-5, model + ": relative L2 error " + rel);
        }
    }

    @Test
    void repeatedRunsReuseTheBuffersAndAgree() throws IOException {
        Network net = OnnxClassifierImporter.load(Fixtures.pytorch("cnn", "model.onnx"));
        FloatArray x = Fixtures.readFloatNpy(Fixtures.pytorch("cnn", "x.npy"));
        int batch = 32;
        int n = batch * 28 * 28;
        try (CompiledGraph g = engine.compile(net.model(), net.name())) {
            FloatBuffer in0 = null;
            FloatBuffer out0 = null;
            float[] first = null;
            for (int run = 0; run < 50; run++) {
                FloatBuffer in = g.floatInput(net.input(), batch, 1, 28, 28);
                in.put(x.data(), 0, n);
                g.run(List.of(net.logits()));
                FloatBuffer out = g.floatOutput(net.logits());
                float[] y = new float[out.remaining()];
                out.get(y);
                if (run == 0) {
                    in0 = in;
                    out0 = out;
                    first = y;
                } else {
                    assertSame(in0, in, "input buffer reused");
                    assertSame(out0, out, "output buffer reused");
                    assertArrayEquals(first, y, "run " + run);
                }
            }
            assertEquals(batch * 10, first.length);
        }
    }
}
