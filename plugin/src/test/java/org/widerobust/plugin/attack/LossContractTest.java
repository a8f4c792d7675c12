package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.network.LossTargets;

/** The attack losses of the gradient engine are what the attacks assume (values to maximise). */
class LossContractTest {
    private static Engine engine;
    private static Fixture mlp;

    @BeforeAll
    static void start() {
        engine = Engine.create(DeviceSpec.CPU, 2);
        mlp = Fixture.load("mlp", engine);
    }

    @AfterAll
    static void stop() {
        mlp.close();
        engine.close();
    }

    @Test
    void lossValuesMatchTheirFormulas() {
        int n = 16;
        int k = mlp.target.numClasses();
        float[] z = new float[n * k];
        mlp.target.logits(mlp.x(n), n, z);
        int[] y = mlp.y(n);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = Scores.ranking(z, i, k)[2];
        }
        float[] ce = loss("ce", n, new LossTargets(y, null, null));
        float[] cw = loss("cw", n, new LossTargets(y, null, null));
        float[] dlr = loss("dlr", n, new LossTargets(y, null, null));
        float[] dlrT = loss("dlr-targeted", n, new LossTargets(y, null, t));
        for (int i = 0; i < n; i++) {
            int[] r = Scores.ranking(z, i, k);
            double lse = 0;
            for (int j = 0; j < k; j++) {
                lse += Math.exp(z[i * k + j]);
            }
            float zy = z[i * k + y[i]];
            assertEquals(Math.log(lse) - zy, ce[i], 1e-3, "ce " + i);
            assertEquals(-Scores.margin(z, i, k, y[i]), cw[i], 1e-3, "cw " + i);
            float other = r[0] == y[i] ? z[i * k + r[1]] : z[i * k + r[0]];
            double d = z[i * k + r[0]] - z[i * k + r[2]] + 1e-12;
            assertEquals(-(zy - other) / d, dlr[i], 1e-3, "dlr " + i);
            double dt = z[i * k + r[0]] - 0.5 * (z[i * k + r[2]] + z[i * k + r[3]]) + 1e-12;
            assertEquals(-(zy - z[i * k + t[i]]) / dt, dlrT[i], 1e-3, "dlr-targeted " + i);
        }
    }

    private static float[] loss(String name, int n, LossTargets targets) {
        float[] out = new float[n];
        mlp.target.lossGradient(name, mlp.x(n), n, targets, null, out, null);
        return out;
    }
}
