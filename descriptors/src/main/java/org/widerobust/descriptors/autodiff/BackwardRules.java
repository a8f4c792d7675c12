package org.widerobust.descriptors.autodiff;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The registry of gradient rules by ONNX op type. */
public final class BackwardRules {
    private static final Map<String, BackwardRule> RULES = new HashMap<>();

    static {
        ElementwiseRules.register(RULES);
        LinearRules.register(RULES);
        ConvRules.register(RULES);
        PoolRules.register(RULES);
        NormalizationRules.register(RULES);
        ShapeRules.register(RULES);
    }

    private BackwardRules() {}

    /** The rule for an op type, or null if widerobust cannot differentiate it. */
    public static BackwardRule forOp(String opType) {
        return RULES.get(opType);
    }

    /** Every op type with a rule. */
    public static Set<String> supportedOps() {
        return Collections.unmodifiableSet(RULES.keySet());
    }
}
