package org.widerobust.plugin.attack;

/**
 * Options the CLI and the evaluator pass to {@link Attacks#create}.
 *
 * @param eps         radius of the threat model (> 0)
 * @param norm        the threat model's norm
 * @param steps       iterations (PGD steps, APGD iterations, Square queries); null for each attack's default
 * @param stepSize    PGD step size; null for the default 2.5·ε/steps
 * @param restarts    restarts (>= 1)
 * @param randomStart whether PGD starts at a random point of the ball
 * @param earlyStop   whether examples stop being attacked once misclassified
 */
public record AttackOptions(double eps, Norm norm, Integer steps, Double stepSize, int restarts, boolean randomStart,
                            boolean earlyStop) {
    public AttackOptions {
        if (norm == null) {
            throw new IllegalArgumentException("norm must not be null");
        }
    }

    /** Defaults: each attack's own step count and size, one restart, random start, early stop. */
    public static AttackOptions of(double eps, Norm norm) {
        return new AttackOptions(eps, norm, null, null, 1, true, true);
    }

    public AttackOptions withSteps(Integer s) {
        return new AttackOptions(eps, norm, s, stepSize, restarts, randomStart, earlyStop);
    }

    public AttackOptions withStepSize(Double a) {
        return new AttackOptions(eps, norm, steps, a, restarts, randomStart, earlyStop);
    }

    public AttackOptions withRestarts(int r) {
        return new AttackOptions(eps, norm, steps, stepSize, r, randomStart, earlyStop);
    }

    public AttackOptions withRandomStart(boolean b) {
        return new AttackOptions(eps, norm, steps, stepSize, restarts, b, earlyStop);
    }

    public AttackOptions withEarlyStop(boolean b) {
        return new AttackOptions(eps, norm, steps, stepSize, restarts, randomStart, b);
    }

    int stepsOr(int dflt) {
        return steps == null ? dflt : steps;
    }
}
