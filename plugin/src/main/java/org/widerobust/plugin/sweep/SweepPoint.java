package org.widerobust.plugin.sweep;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One point of a width × λ study: a network width and either a fixed λ or a WAR rule.
 *
 * @param width       the width factor k of the family
 * @param lambda      the fixed λ, or for a WAR point its starting (tuned) λ₀
 * @param war         the WAR rule ({@code ratio} or {@code power}), or null for a fixed-λ point
 * @param referenceId for a {@code ratio} WAR point without a given ρ_ref, the id of the fixed point whose training
 *                    history gives ρ_ref; null otherwise
 */
public record SweepPoint(double width, double lambda, String war, String referenceId) {

    public SweepPoint {
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("width must be positive and finite, got " + width);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be >= 0 and finite, got " + lambda);
        }
    }

    /** A fixed-λ point. */
    public static SweepPoint fixed(double width, double lambda) {
        return new SweepPoint(width, lambda, null, null);
    }

    /** {@code fixed} or {@code war}. */
    public String kind() {
        return war == null ? "fixed" : "war";
    }

    /** Whether this is a WAR point. */
    public boolean isWar() {
        return war != null;
    }

    /**
     * The point's stable name, also its directory under {@code points/}: {@code k2-lambda6} for a fixed point,
     * {@code k2-war-ratio} for a WAR point.
     */
    public String id() {
        return "k" + format(width) + (war == null ? "-lambda" + format(lambda) : "-war-" + war);
    }

    /** The id of a fixed point, for references. */
    public static String fixedId(double width, double lambda) {
        return fixed(width, lambda).id();
    }

    /** A number without trailing zeros: 6 not 6.0, 0.25 stays 0.25. */
    public static String format(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return id() + (referenceId == null ? "" : " (reference " + referenceId + ")");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SweepPoint p && p.id().equals(id()) && Objects.equals(p.referenceId, referenceId);
    }

    @Override
    public int hashCode() {
        return id().hashCode();
    }
}
