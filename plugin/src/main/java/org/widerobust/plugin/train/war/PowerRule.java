package org.widerobust.plugin.train.war;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code power}: λ = λ₀·(k / k₀)^p for the whole run, with k the network's width and k₀ the reference width. */
public final class PowerRule implements LambdaRule {
    @Config(mandatory = true, description = "The exponent p (finite).")
    private double power = Double.NaN;
    @Config(mandatory = true, description = "The reference width k0 (> 0) at which lambda equals lambda0.")
    private double referenceWidth = Double.NaN;

    /** For OLCUT: set the fields, then {@link #postConfig()}. */
    public PowerRule() {}

    /**
     * @param power          the exponent p
     * @param referenceWidth the width k₀ at which λ = λ₀
     * @throws PropertyException if p is not finite or k₀ is not positive
     */
    public PowerRule(double power, double referenceWidth) {
        this.power = power;
        this.referenceWidth = referenceWidth;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (!Double.isFinite(power)) {
            throw new PropertyException("", "power", "the power rule needs a finite exponent p, got " + power);
        }
        if (!(referenceWidth > 0) || Double.isInfinite(referenceWidth)) {
            throw new PropertyException("", "referenceWidth", "the power rule needs a reference width k0 > 0, got "
                    + referenceWidth);
        }
    }

    /** λ₀·(k/k₀)^p. */
    public double lambda(double lambda0, double width) {
        return lambda0 * Math.pow(width / referenceWidth, power);
    }

    @Override
    public String name() {
        return "power";
    }

    @Override
    public LambdaController start(double lambda0, double width) {
        double l = lambda(lambda0, width);
        if (!Double.isFinite(l)) {
            throw new IllegalArgumentException("the power rule gives lambda " + l + " at width " + width);
        }
        return new RatioController(l, l, Double.NaN, 0, 1, RatioRule.DEFAULT_WINDOW);
    }

    @Override
    public Map<String, Object> settings(double lambda0) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", name());
        m.put("power", power);
        m.put("reference_width", referenceWidth);
        return m;
    }

    @Override
    public String toString() {
        return "power(p=" + power + ", k0=" + referenceWidth + ")";
    }
}
