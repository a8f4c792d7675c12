package org.widerobust.plugin.train.war;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code fixed}: λ = λ₀ throughout. ρ_t is still tracked (as {@link RatioRule} would) for the record. */
public final class FixedLambda implements LambdaRule {
    /** For OLCUT; there is nothing to configure. */
    public FixedLambda() {}

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public LambdaController start(double lambda0, double width) {
        return new RatioController(lambda0, lambda0, Double.NaN, 0, 1, RatioRule.DEFAULT_WINDOW);
    }

    @Override
    public Map<String, Object> settings(double lambda0) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", name());
        return m;
    }

    @Override
    public String toString() {
        return "fixed";
    }
}
