package org.widerobust.plugin.train.war;

/**
 * The numeric kernel of the λ rules. ρ_t = EMA(R_rob) / EMA(R_nat), both exponential moving averages over the
 * batches with smoothing {@code 2 / (window + 1)} (the EMA whose centre of mass is that of a {@code window}-batch
 * mean); every {@code interval} observed batches {@code λ ← clamp(λ·(ρ_t/ρ_ref)^γ, λ₀, λ_max)}. With γ = 0 or
 * ρ_ref NaN, λ stays where it started and ρ_t is only recorded.
 */
public final class RatioController implements LambdaController {
    private final double floor;
    private final double max;
    private final double reference;
    private final double gamma;
    private final int interval;
    private final double smoothing;
    private double lambda;
    private double emaNatural;
    private double emaRobust;
    private long batches;

    /**
     * @param lambda0   the starting λ and its floor λ₀
     * @param lambdaMax the ceiling λ_max (≥ λ₀)
     * @param reference ρ_ref (> 0), or NaN for no updates
     * @param gamma     the exponent γ (≥ 0)
     * @param interval  batches between updates (≥ 1)
     * @param window    the averaging window in batches (≥ 1)
     * @throws IllegalArgumentException for values outside those ranges
     */
    public RatioController(double lambda0, double lambdaMax, double reference, double gamma, int interval,
                           int window) {
        if (!(lambda0 >= 0) || Double.isInfinite(lambda0)) {
            throw new IllegalArgumentException("lambda0 must be >= 0 and finite, got " + lambda0);
        }
        if (!(lambdaMax >= lambda0) || Double.isInfinite(lambdaMax)) {
            throw new IllegalArgumentException("lambda_max (" + lambdaMax + ") must be finite and at least lambda0 ("
                    + lambda0 + ")");
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma) || interval < 1 || window < 1
                || !(Double.isNaN(reference) || reference > 0 && Double.isFinite(reference))) {
            throw new IllegalArgumentException("invalid ratio-rule settings: gamma=" + gamma + " interval=" + interval
                    + " window=" + window + " rho_ref=" + reference);
        }
        this.floor = lambda0;
        this.max = lambdaMax;
        this.reference = reference;
        this.gamma = gamma;
        this.interval = interval;
        this.smoothing = 2.0 / (window + 1.0);
        this.lambda = lambda0;
    }

    @Override
    public double lambda() {
        return lambda;
    }

    @Override
    public double ratio() {
        return batches == 0 || !(emaNatural > 0) ? Double.NaN : emaRobust / emaNatural;
    }

    @Override
    public void observe(double naturalRisk, double robustRegularization) {
        if (!Double.isFinite(naturalRisk) || !Double.isFinite(robustRegularization)) {
            throw new IllegalArgumentException("non-finite risks: R_nat=" + naturalRisk + " R_rob="
                    + robustRegularization);
        }
        double a = batches == 0 ? 1 : smoothing;
        emaNatural += a * (naturalRisk - emaNatural);
        emaRobust += a * (robustRegularization - emaRobust);
        batches++;
        if (gamma > 0 && !Double.isNaN(reference) && batches % interval == 0) {
            double rho = ratio();
            if (rho > 0) {
                lambda = Math.min(max, Math.max(floor, lambda * Math.pow(rho / reference, gamma)));
            } else {
                lambda = Math.max(floor, Math.min(max, lambda));
            }
        }
    }

    @Override
    public double[] state() {
        return new double[] {lambda, emaNatural, emaRobust, batches};
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 4) {
            throw new IllegalArgumentException("a lambda-rule state has 4 values, got " + state.length);
        }
        lambda = state[0];
        emaNatural = state[1];
        emaRobust = state[2];
        batches = (long) state[3];
    }
}
