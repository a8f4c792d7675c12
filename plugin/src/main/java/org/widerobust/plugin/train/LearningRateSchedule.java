package org.widerobust.plugin.train;

/**
 * The TRADES step schedule: the base rate until 75% of the epochs, ×0.1 from 75%, ×0.01 from 90% (epochs counted
 * from 1, as in the TRADES code: {@code epoch >= 0.75·E}). The first epoch always uses the base rate, so that
 * one- and two-epoch runs still learn.
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
        int oneBased = epoch + 1;
        if (epoch == 0) {
            return base;
        }
        if (oneBased >= 0.9 * epochs) {
            return base * 0.01;
        }
        if (oneBased >= 0.75 * epochs) {
            return base * 0.1;
        }
        return base;
    }
}
