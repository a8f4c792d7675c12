package org.widerobust.plugin.train.war;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;


/**
 * {@code ratio}, the default Width Adjusted Regularization rule: λ is raised until the wide network keeps the
 * balance {@code ρ = R_rob / R_nat} of a reference run (a narrower network trained with a tuned λ₀). ρ_ref is a number
 * or is read from the reference model's training history ({@link ReferenceRun}). During training,
 * every {@code interval} batches {@code λ ← clamp(λ·(ρ_t/ρ_ref)^γ, λ₀, λ_max)} with ρ_t a moving average of the
 * batches' R_rob / R_nat ({@link RatioController}). The defaults are justified in {@code docs/war.md}.
 */
public final class RatioRule implements LambdaRule {
    /** Default γ. */
    public static final double DEFAULT_GAMMA = 0.2;
    /** Default batches between updates. */
    public static final int DEFAULT_INTERVAL = 20;
    /** Default averaging window of ρ_t in batches. */
    public static final int DEFAULT_WINDOW = 20;
    /** Default λ_max as a multiple of λ₀. */
    public static final double DEFAULT_MAX_FACTOR = 4;

    @Config(description = "Reference model file (model.tribuo of a narrower run) whose training history gives rho_ref; "
            + "empty to give referenceRatio instead.")
    private String referenceModel = "";
    @Config(description = "rho_ref = R_rob / R_nat of the reference run (> 0); 0 to read it from referenceModel.")
    private double referenceRatio = 0;
    @Config(description = "Exponent gamma of the update (> 0).")
    private double gamma = DEFAULT_GAMMA;
    @Config(description = "Batches between updates (>= 1).")
    private int interval = DEFAULT_INTERVAL;
    @Config(description = "Averaging window of rho_t in batches (>= 1).")
    private int window = DEFAULT_WINDOW;
    @Config(description = "Ceiling lambda_max (>= lambda0); 0 for " + DEFAULT_MAX_FACTOR + " x lambda0.")
    private double lambdaMax = 0;

    private double resolvedReference = Double.NaN;
    private String referenceSource = "";
    private ReferenceRun reference;

    /** For OLCUT: set the fields, then {@link #postConfig()}. */
    public RatioRule() {}

    /** A builder with the defaults; {@link Builder#build()} validates. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void postConfig() {
        boolean hasModel = referenceModel != null && !referenceModel.isEmpty();
        boolean hasRatio = referenceRatio != 0;
        if (hasModel == hasRatio) {
            throw new PropertyException("", "referenceModel", "the ratio rule needs exactly one of a reference model "
                    + "(property referenceModel; --war-reference MODEL on the command line) or a reference ratio "
                    + "(property referenceRatio; --war-ratio R), got " + (hasModel ? "both" : "neither"));
        }
        if (hasRatio) {
            if (!(referenceRatio > 0) || Double.isInfinite(referenceRatio)) {
                throw new PropertyException("", "referenceRatio", "the reference ratio must be > 0 and finite, got "
                        + referenceRatio);
            }
            resolvedReference = referenceRatio;
            referenceSource = "given";
        } else {
            try {
                reference = ReferenceRun.read(Path.of(referenceModel));
            } catch (IllegalArgumentException e) {
                throw new PropertyException("", "referenceModel", e.getMessage());
            }
            resolvedReference = reference.ratio();
            // absolute, so that train.json's record can be followed from anywhere
            referenceSource = Path.of(referenceModel).toAbsolutePath().normalize().toString();
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new PropertyException("", "gamma", "gamma must be > 0 and finite, got " + gamma);
        }
        if (interval < 1) {
            throw new PropertyException("", "interval", "the update interval must be >= 1 batch, got " + interval);
        }
        if (window < 1) {
            throw new PropertyException("", "window", "the averaging window must be >= 1 batch, got " + window);
        }
        if (!(lambdaMax >= 0) || Double.isInfinite(lambdaMax)) {
            throw new PropertyException("", "lambdaMax", "lambda_max must be >= 0 and finite (0: "
                    + DEFAULT_MAX_FACTOR + " x lambda0), got " + lambdaMax);
        }
    }

    /** Batches between λ updates. */
    public int interval() {
        return interval;
    }

    /** ρ_ref in use. */
    public double referenceRatio() {
        return resolvedReference;
    }

    /**
     * How a run departs from what this rule's reference model should be ({@link ReferenceRun#mismatches}); empty
     * when ρ_ref was given as a number.
     */
    public List<String> referenceMismatches(String method, double epsilon, String family, double width,
                                            double lambda0) {
        return reference == null ? List.of() : reference.mismatches(method, epsilon, family, width, lambda0);
    }

    /** λ_max for a given λ₀. */
    public double lambdaMax(double lambda0) {
        return lambdaMax == 0 ? DEFAULT_MAX_FACTOR * lambda0 : lambdaMax;
    }

    @Override
    public String name() {
        return "ratio";
    }

    @Override
    public LambdaController start(double lambda0, double width) {
        double max = lambdaMax(lambda0);
        if (max < lambda0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "lambda_max (%s) is below lambda0 (%s)", max, lambda0));
        }
        return new RatioController(lambda0, max, resolvedReference, gamma, interval, window);
    }

    @Override
    public Map<String, Object> settings(double lambda0) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", name());
        m.put("rho_ref", resolvedReference);
        m.put("rho_ref_source", referenceSource);
        if (reference != null) {
            m.put("reference", reference.settings());
        }
        m.put("gamma", gamma);
        m.put("interval", interval);
        m.put("window", window);
        m.put("lambda_max", lambdaMax(lambda0));
        m.put("lambda_max_source", lambdaMax == 0 ? "default: " + DEFAULT_MAX_FACTOR + " x lambda0" : "configured");
        return m;
    }

    /**
     * What decides the run: ρ_ref itself, not where it was read (a field report: a requeued job that spelled the
     * reference's path another way could not resume), and λ_max null when it is the default factor.
     */
    @Override
    public String fingerprint(double lambda0) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", name());
        m.put("rho_ref", resolvedReference);
        m.put("gamma", gamma);
        m.put("interval", interval);
        m.put("window", window);
        m.put("lambda_max", lambdaMax == 0 ? null : lambdaMax);
        m.put("lambda_max_factor", lambdaMax == 0 ? DEFAULT_MAX_FACTOR : null);
        return m.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ratio(rho_ref=%.4g, gamma=%s, interval=%d, window=%d, lambda_max=%s)",
                resolvedReference, gamma, interval, window, lambdaMax == 0 ? DEFAULT_MAX_FACTOR + "x" : lambdaMax);
    }

    /** Fluent construction of a {@link RatioRule}. */
    public static final class Builder {
        private final RatioRule r = new RatioRule();

        private Builder() {}

        public Builder referenceModel(Path model) { r.referenceModel = model.toString(); return this; }

        public Builder referenceRatio(double rho) { r.referenceRatio = rho; return this; }

        public Builder gamma(double g) { r.gamma = g; return this; }

        public Builder interval(int n) { r.interval = n; return this; }

        public Builder window(int n) { r.window = n; return this; }

        /** 0 for the default multiple of λ₀. */
        public Builder lambdaMax(double l) { r.lambdaMax = l; return this; }

        /** Validates (reading the reference model if one is set) and returns the rule. */
        public RatioRule build() {
            r.postConfig();
            return r;
        }
    }
}
