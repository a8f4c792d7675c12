package org.widerobust.plugin.train;

import java.util.Locale;

/**
 * Per-epoch learning-rate schedules. The fraction of training done counts completed epochs ({@code epoch / epochs}),
 * so the first epoch always runs at the base rate.
 * <ul>
 *   <li>{@code piecewise} (TRADES): the base rate until 75% of the epochs are done, ×0.1 from then, ×0.01 from 90%;
 *   short runs (one to three epochs) train at the base rate throughout; for 100 epochs it is TRADES' schedule one
 *   epoch later;</li>
 *   <li>{@code cosine}: {@code base·(1 + cos(π·epoch/epochs))/2} (SGDR without restarts, per epoch);</li>
 *   <li>{@code constant}: the base rate.</li>
 * </ul>
 */
public enum LearningRateSchedule {
    PIECEWISE,
    COSINE,
    CONSTANT;

    /** Parses {@code piecewise}, {@code cosine} or {@code constant} (case-insensitive). */
    public static LearningRateSchedule parse(String name) {
        if (name != null) {
            for (LearningRateSchedule s : values()) {
                if (s.name().equalsIgnoreCase(name.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown learning-rate schedule '" + name
                + "'; use piecewise, cosine or constant");
    }

    /** The lower-case name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The learning rate of an epoch under this schedule.
     *
     * @param base   the initial rate
     * @param epoch  the epoch, counted from 0
     * @param epochs the total number of epochs
     */
    public double at(double base, int epoch, int epochs) {
        double done = (double) epoch / epochs;
        return switch (this) {
            case PIECEWISE -> done >= 0.9 ? base * 0.01 : done >= 0.75 ? base * 0.1 : base;
            case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * done));
            case CONSTANT -> base;
        };
    }

    /** The piecewise (TRADES) schedule. */
    public static double rate(double base, int epoch, int epochs) {
        return PIECEWISE.at(base, epoch, epochs);
    }
}
