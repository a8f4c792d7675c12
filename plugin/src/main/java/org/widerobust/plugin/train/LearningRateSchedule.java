package org.widerobust.plugin.train;

/**
 * The TRADES step schedule: the base rate until 75% of the epochs are done, ×0.1 from then, ×0.01 from 90%. The
 * fraction counts completed epochs, so short runs (one to three epochs) train at the base rate throughout; for 100
 * epochs it is TRADES' schedule one epoch later.
 */
public final class LearningRateSchedule {
    private LearningRateSchedule() {}

    /**
     * The learning rate of an epoch.
     *
     * @param base   the initial rate
     * @param epoch  the epoch, counted from 0
     * @param epochs the total number of epochs
     */
    public static double rate(double base, int epoch, int epochs) {
        double done = (double) epoch / epochs;
        if (done >= 0.9) {
            return base * 0.01;
        }
        if (done >= 0.75) {
            return base * 0.1;
        }
        return base;
    }
}
