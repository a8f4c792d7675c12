package org.widerobust.plugin.attack;

/**
 * Options the CLI and the evaluator pass to {@link Attacks#create}. Each attack family has its own budget, with
 * the field's defaults; one family's budget never sets another's.
 *
 * @param eps            radius of the threat model (> 0)
 * @param norm           the threat model's norm
 * @param steps          PGD steps (FGSM takes one); null for the default 20 (PGD-20)
 * @param stepSize       PGD step size; null for the default 2.5·ε/steps
 * @param restarts       PGD and APGD restarts (>= 1)
 * @param randomStart    whether PGD starts at a random point of the ball
 * @param earlyStop      whether examples stop being attacked once their prediction has left the clean one (saves
 *                       time only: the attacks report the same points either way)
 * @param apgdIterations APGD-CE/-DLR/-T iterations; null for AutoAttack's 100
 * @param squareQueries  Square's queries per example; null for AutoAttack's 5,000
 * @param fabIterations  FAB and FAB-T iterations; null for AutoAttack's 100
 */
public record AttackOptions(double eps, Norm norm, Integer steps, Double stepSize, int restarts, boolean randomStart,
                            boolean earlyStop, Integer apgdIterations, Integer squareQueries, Integer fabIterations) {
    /** PGD's default steps (PGD-20, as in Wu et al. 2021). */
    public static final int PGD_STEPS = 20;
    /** AutoAttack's APGD iterations. */
    public static final int APGD_ITERATIONS = 100;
    /** AutoAttack's Square queries. */
    public static final int SQUARE_QUERIES = 5000;
    /** AutoAttack's FAB iterations. */
    public static final int FAB_ITERATIONS = 100;

    public AttackOptions {
        if (norm == null) {
            throw new IllegalArgumentException("norm must not be null");
        }
    }

    /** Options with each other family's budget at its default. */
    public AttackOptions(double eps, Norm norm, Integer steps, Double stepSize, int restarts, boolean randomStart,
                         boolean earlyStop) {
        this(eps, norm, steps, stepSize, restarts, randomStart, earlyStop, null, null, null);
    }

    /** Defaults: each attack's own budget and step size, one restart, random start, early stop. */
    public static AttackOptions of(double eps, Norm norm) {
        return new AttackOptions(eps, norm, null, null, 1, true, true);
    }

    public AttackOptions withSteps(Integer s) {
        return new AttackOptions(eps, norm, s, stepSize, restarts, randomStart, earlyStop, apgdIterations,
                squareQueries, fabIterations);
    }

    public AttackOptions withStepSize(Double a) {
        return new AttackOptions(eps, norm, steps, a, restarts, randomStart, earlyStop, apgdIterations,
                squareQueries, fabIterations);
    }

    public AttackOptions withRestarts(int r) {
        return new AttackOptions(eps, norm, steps, stepSize, r, randomStart, earlyStop, apgdIterations,
                squareQueries, fabIterations);
    }

    public AttackOptions withRandomStart(boolean b) {
        return new AttackOptions(eps, norm, steps, stepSize, restarts, b, earlyStop, apgdIterations,
                squareQueries, fabIterations);
    }

    public AttackOptions withEarlyStop(boolean b) {
        return new AttackOptions(eps, norm, steps, stepSize, restarts, randomStart, b, apgdIterations,
                squareQueries, fabIterations);
    }

    public AttackOptions withApgdIterations(Integer i) {
        return new AttackOptions(eps, norm, steps, stepSize, restarts, randomStart, earlyStop, i, squareQueries,
                fabIterations);
    }

    public AttackOptions withSquareQueries(Integer q) {
        return new AttackOptions(eps, norm, steps, stepSize, restarts, randomStart, earlyStop, apgdIterations, q,
                fabIterations);
    }

    public AttackOptions withFabIterations(Integer i) {
        return new AttackOptions(eps, norm, steps, stepSize, restarts, randomStart, earlyStop, apgdIterations,
                squareQueries, i);
    }

    int pgdSteps() {
        return steps == null ? PGD_STEPS : steps;
    }

    int apgdIterationsOrDefault() {
        return apgdIterations == null ? APGD_ITERATIONS : apgdIterations;
    }

    int squareQueriesOrDefault() {
        return squareQueries == null ? SQUARE_QUERIES : squareQueries;
    }

    int fabIterationsOrDefault() {
        return fabIterations == null ? FAB_ITERATIONS : fabIterations;
    }
}
