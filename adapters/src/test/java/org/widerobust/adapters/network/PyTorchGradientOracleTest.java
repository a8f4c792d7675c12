package org.widerobust.adapters.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.adapters.data.Npy;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.adapters.engine.Fixtures;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.descriptors.network.Network;

/**
 * The differentiated graphs of imported PyTorch classifiers reproduce PyTorch's input gradients of the summed
 * cross-entropy ({@code grad_ce_sum.npy}) and its logits, through a {@link NetworkSession}, with fixed weights and
 * with weights read from a {@link ParameterStore}.
 */
class PyTorchGradientOracleTest extends CpuEngineTest {
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn", "miniwrn"})
    void inputGradientsMatchPyTorch(String model) throws IOException {
        Network net = OnnxClassifierImporter.load(Fixtures.pytorch(model, "model.onnx"));
        float[] x = Npy.read(Fixtures.pytorch(model, "x.npy")).toFloats();
        long[] y = Npy.read(Fixtures.pytorch(model, "y.npy")).toLongs();
        float[] expectedGrad = Npy.read(Fixtures.pytorch(model, "grad_ce_sum.npy")).toFloats();
        float[] expectedLogits = Npy.read(Fixtures.pytorch(model, "logits.npy")).toFloats();
        int n = y.length;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (int) y[i];
        }
        float[] grad = new float[n * net.exampleLength()];
        float[] loss = new float[n];
        float[] logits = new float[n * net.numClasses()];
        try (NetworkSession fixed = new NetworkSession(engine, net);
             NetworkSession live = new NetworkSession(engine, net, new ParameterStore(net))) {
            for (NetworkSession s : new NetworkSession[] {fixed, live}) {
                s.lossGradient("ce", x, n, LossTargets.labels(labels), grad, loss, logits);
                double gradErr = Fixtures.relativeL2(grad, expectedGrad);
                assertTrue(gradErr <= 1e-4, model + ": input gradient relative L2 error " + gradErr);
                double logitErr = Fixtures.relativeL2(logits, expectedLogits);
                assertTrue(logitErr <= 1e-5, model + ": logits relative L2 error " + logitErr);
                double ce = -logSoftmax(expectedLogits, 0, net.numClasses())[labels[0]];
                assertEquals(ce, loss[0], 1e-4 * Math.max(1, Math.abs(ce)), model + ": per-example loss");
            }
        }
    }

    private static double[] logSoftmax(float[] z, int row, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[row * k + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(z[row * k + j] - max);
        }
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            out[j] = z[row * k + j] - max - Math.log(sum);
        }
        return out;
    }
}
