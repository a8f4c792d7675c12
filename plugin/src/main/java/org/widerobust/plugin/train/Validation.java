package org.widerobust.plugin.train;

import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackResult;
import org.widerobust.plugin.attack.AttackTarget;
import org.widerobust.plugin.attack.Scores;

/**
 * The per-epoch measurements on the held-out validation examples: natural accuracy, robust accuracy under an attack
 * (PGD) and perturbation stability (the share of examples whose predicted class survives the attack).
 *
 * @param naturalAccuracy clean accuracy
 * @param robustAccuracy  accuracy on the attack's outputs
 * @param stability       share with the same prediction before and after the attack
 */
record Validation(double naturalAccuracy, double robustAccuracy, double stability) {
    private static final int CHUNK = 512;

    /** Measures {@code target} on {@code data} with {@code attack} (seeded by {@code seed}). */
    static Validation measure(AttackTarget target, DenseDataset data, Attack attack, long seed) {
        int n = data.size();
        int k = target.numClasses();
        int len = data.exampleLength();
        int[] labels = data.labels();
        int[] clean = new int[n];
        float[] z = new float[CHUNK * k];
        for (int s = 0; s < n; s += CHUNK) {
            int m = Math.min(CHUNK, n - s);
            target.logits(java.util.Arrays.copyOfRange(data.data(), s * len, (s + m) * len), m, z);
            for (int i = 0; i < m; i++) {
                clean[s + i] = Scores.argmax(z, i, k);
            }
        }
        AttackResult r = attack.attack(target, data.data(), labels, n, seed);
        int[] adv = r.predictions();
        long nat = 0;
        long rob = 0;
        long stable = 0;
        for (int i = 0; i < n; i++) {
            nat += clean[i] == labels[i] ? 1 : 0;
            rob += adv[i] == labels[i] ? 1 : 0;
            stable += adv[i] == clean[i] ? 1 : 0;
        }
        return new Validation(nat / (double) n, rob / (double) n, stable / (double) n);
    }
}
