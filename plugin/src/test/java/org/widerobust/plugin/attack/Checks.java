package org.widerobust.plugin.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions shared by the attack tests. */
final class Checks {
    private Checks() {}

    /** Every adversarial example lies in the ε-ball (+1e-6) around its clean input and in the box. */
    static void insideThreatModel(AttackResult r, float[] x, int n, int len, Norm norm, double eps, float[] box) {
        assertEquals(n * len, r.adversarial().length);
        for (int k = 0; k < n; k++) {
            double d = ThreatModelMath.distance(r.adversarial(), x, k * len, len, norm);
            assertTrue(d <= eps + 1e-6, "example " + k + " at distance " + d + " > " + eps);
        }
        for (float v : r.adversarial()) {
            assertTrue(v >= box[0] && v <= box[1], "value " + v + " outside the box");
        }
    }

    /** The reported predictions are the model's predictions of the adversarial inputs. */
    static void predictionsAreTrue(AttackResult r, AttackTarget t, int n) {
        float[] z = new float[n * t.numClasses()];
        t.logits(r.adversarial(), n, z);
        assertArrayEquals(Scores.predictions(z, n, t.numClasses()), r.predictions());
    }

    static void sameResult(AttackResult a, AttackResult b) {
        assertArrayEquals(a.adversarial(), b.adversarial());
        assertArrayEquals(a.predictions(), b.predictions());
        assertArrayEquals(a.iterations(), b.iterations());
    }
}
