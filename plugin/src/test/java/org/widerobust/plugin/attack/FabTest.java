package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;

/**
 * FAB and FAB-T (Croce &amp; Hein 2020) against a PyTorch reference written from the paper
 * ({@code src/test/python/fab_reference.py}; results for L∞ at ε = 0.03 and L2 at ε = 0.5 in
 * {@code src/test/resources/fab/}), and the
 * hyperplane-box projection kernel against its definition.
 */
class FabTest {
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

    @ParameterizedTest
    @ValueSource(strings = {"linf", "l2"})
    void fabTMatchesThePyTorchReference(String normName) throws IOException {
        JsonNode ref;
        try (InputStream in = FabTest.class.getResourceAsStream("/fab/mlp_fab_t_" + normName + ".json")) {
            ref = new ObjectMapper().readTree(in);
        }
        Norm norm = Norm.parse(normName);
        int n = ref.get("n").asInt();
        double eps = ref.get("eps").asDouble();
        Fab fab = new Fab(eps, norm, ref.get("iterations").asInt(), 1, true, ref.get("target_classes").asInt());
        AttackResult r = fab.attack(mlp.target, mlp.x(n), mlp.y(n), n, 0);
        Checks.insideThreatModel(r, mlp.x(n), n, mlp.len, norm, eps, mlp.target.inputBounds());
        Checks.predictionsAreTrue(r, mlp.target, n);
        int agree = 0;
        for (int i = 0; i < n; i++) {
            boolean robust = r.predictions()[i] == mlp.y[i];
            agree += robust == (ref.get("robust").get(i).asInt() == 1) ? 1 : 0;
        }
        double acc = r.robustAccuracy(mlp.y(n));
        double expected = ref.get("robust_accuracy").asDouble();
        System.out.printf("FAB-T mlp %s n=%d eps=%.3f: robust %.4f (PyTorch reference %.4f), %d/%d points agree%n",
                normName, n, eps, acc, expected, agree, n);
        assertEquals(expected, acc, 0.02, "robust accuracy within 2 points of the PyTorch reference");
        assertTrue(agree >= n - 3, agree + " of " + n + " points agree");
        assertTrue(acc < mlp.cleanAccuracy(n), "FAB-T broke nothing");
    }

    @Test
    void untargetedAndL2StayInsideTheThreatModelAndBreakPoints() {
        int n = 32;
        for (Norm norm : Norm.values()) {
            double eps = norm == Norm.LINF ? 0.05 : 1.0;
            for (boolean targeted : new boolean[] {false, true}) {
                Fab fab = new Fab(eps, norm, 15, 1, targeted, 3);
                AttackResult r = fab.attack(mlp.target, mlp.x(n), mlp.y(n), n, 1);
                Checks.insideThreatModel(r, mlp.x(n), n, mlp.len, norm, eps, mlp.target.inputBounds());
                Checks.predictionsAreTrue(r, mlp.target, n);
                assertTrue(r.robustCount(mlp.y(n)) < n * mlp.cleanAccuracy(n), fab.name() + " " + norm);
            }
        }
    }

    @Test
    void restartsAreReproducibleAndNoWeaker() {
        int n = 32;
        Fab one = new Fab(0.03, Norm.LINF, 10, 1, true, 2);
        Fab three = new Fab(0.03, Norm.LINF, 10, 3, true, 2);
        AttackResult a = three.attack(mlp.target, mlp.x(n), mlp.y(n), n, 5);
        AttackResult b = three.attack(mlp.target, mlp.x(n), mlp.y(n), n, 5);
        Checks.sameResult(a, b);
        assertTrue(a.robustCount(mlp.y(n)) <= one.attack(mlp.target, mlp.x(n), mlp.y(n), n, 5).robustCount(mlp.y(n)));
    }

    /** The kernel: ⟨w, d⟩ = c inside the box, and no feasible step found by random search is smaller. */
    @Test
    void projectionIsTheMinimalNormStepOntoTheHyperplaneInTheBox() {
        Random rnd = new Random(3);
        float[] box = {0, 1};
        for (Norm norm : Norm.values()) {
            for (int trial = 0; trial < 200; trial++) {
                int len = 2 + rnd.nextInt(6);
                float[] t = new float[len];
                float[] w = new float[len];
                for (int i = 0; i < len; i++) {
                    t[i] = rnd.nextFloat();
                    w[i] = rnd.nextInt(5) == 0 ? 0 : (float) rnd.nextGaussian();
                }
                double c = rnd.nextGaussian() * 0.5;
                float[] d = new float[len];
                BoundaryProjection.step(t, w, 0, len, c, norm, box, d);
                double wd = 0;
                double reachable = 0;
                for (int i = 0; i < len; i++) {
                    assertTrue(t[i] + d[i] >= -1e-6 && t[i] + d[i] <= 1 + 1e-6, "outside the box");
                    wd += (double) w[i] * d[i];
                    reachable += Math.abs(w[i]) * (Math.signum(c * w[i]) > 0 ? 1 - t[i] : t[i]);
                }
                if (reachable < Math.abs(c)) {
                    assertEquals(Math.signum(c) * reachable, wd, 1e-5, "unreachable: the box face");
                    continue;
                }
                assertEquals(c, wd, 1e-5 * (1 + Math.abs(c)), norm + " trial " + trial);
                double dn = ThreatModelMath.norm(d, 0, len, norm);
                // random feasible steps: scale random box points onto the hyperplane
                for (int s = 0; s < 200; s++) {
                    float[] e = new float[len];
                    double we = 0;
                    for (int i = 0; i < len; i++) {
                        e[i] = rnd.nextFloat() - t[i];
                        we += (double) w[i] * e[i];
                    }
                    double k = c / we;
                    if (!(k > 0 && k <= 1)) {
                        continue;
                    }
                    for (int i = 0; i < len; i++) {
                        e[i] = (float) (e[i] * k);
                    }
                    assertTrue(dn <= ThreatModelMath.norm(e, 0, len, norm) + 1e-5, norm + " not minimal");
                }
            }
        }
    }

    @Test
    void validationAndNames() {
        assertThrows(PropertyException.class, () -> new Fab(0.03, Norm.LINF, 0, 1, true, 9));
        assertThrows(PropertyException.class, () -> new Fab(0.03, Norm.LINF, 10, 1, true, 9, 1.5, 1.05, 0.9));
        assertThrows(PropertyException.class, () -> new Fab(0.03, Norm.LINF, 10, 1, true, 9, 0.1, 0.5, 0.9));
        assertThrows(PropertyException.class, () -> new Fab(0.03, Norm.LINF, 10, 1, true, 9, 0.1, 1.05, 0));
        assertEquals("fab-t-100", Fab.standardTargeted(0.03, Norm.LINF).name());
        assertEquals("fab-20", new Fab(0.03, Norm.L2, 20, 1, false, 9).name());
    }
}
