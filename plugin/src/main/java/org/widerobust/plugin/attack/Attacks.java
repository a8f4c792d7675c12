package org.widerobust.plugin.attack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Attacks by name, for the CLI ({@code --attack NAME[,NAME…]}) and the evaluator: {@code fgsm}; {@code pgd},
 * {@code pgd-cw}, {@code pgd-kl}, {@code pgd-dlr} (steps default 20, step size 2.5·ε/steps); {@code apgd-ce},
 * {@code apgd-dlr}, {@code apgd-t} (steps default 100); {@code square} (L∞; steps = queries, default 5000);
 * {@code autoattack} (APGD-CE → APGD-T → Square; steps = APGD iterations; Square is left out for L2).
 *
 * <p>Options an attack has no use for are ignored: APGD always starts at random and sets its own step size;
 * Square uses neither step size, restarts nor random start; FGSM takes one step of size ε.
 */
public final class Attacks {
    private static final Map<String, Function<AttackOptions, Attack>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("fgsm", o -> new Fgsm(o.eps(), o.norm()));
        FACTORIES.put("pgd", o -> pgd(o, "ce"));
        FACTORIES.put("pgd-cw", o -> pgd(o, "cw"));
        FACTORIES.put("pgd-kl", o -> pgd(o, "kl"));
        FACTORIES.put("pgd-dlr", o -> pgd(o, "dlr"));
        FACTORIES.put("apgd-ce", o -> apgd(o, "ce"));
        FACTORIES.put("apgd-dlr", o -> apgd(o, "dlr"));
        FACTORIES.put("apgd-t", o -> apgd(o, "dlr-targeted"));
        FACTORIES.put("square", o -> {
            if (o.norm() != Norm.LINF) {
                throw new IllegalArgumentException("the square attack supports only linf, not " + o.norm());
            }
            return new SquareAttack(o.eps(), o.stepsOr(5000));
        });
        FACTORIES.put("autoattack", o -> AttackCascade.standard(o.eps(), o.norm(), o.stepsOr(100), 5000));
    }

    private Attacks() {}

    /** The known names, in a stable order. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * The attack called {@code name} (case-insensitive) configured from {@code opts}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or invalid options
     */
    public static Attack create(String name, AttackOptions opts) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        Function<AttackOptions, Attack> f = FACTORIES.get(key);
        if (f == null) {
            throw new IllegalArgumentException("unknown attack '" + name + "'; known attacks: "
                    + String.join(", ", names()));
        }
        try {
            return f.apply(opts);
        } catch (com.oracle.labs.mlrg.olcut.config.PropertyException e) {
            throw new IllegalArgumentException("attack '" + key + "': " + e.getMessage(), e);
        }
    }

    /** Attacks from a comma-separated list such as {@code pgd,apgd-ce}. */
    public static List<Attack> createAll(String names, AttackOptions opts) {
        List<Attack> out = new ArrayList<>();
        for (String s : names.split(",")) {
            if (!s.isBlank()) {
                out.add(create(s, opts));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no attack named; known attacks: " + String.join(", ", names()));
        }
        return out;
    }

    private static Attack apgd(AttackOptions o, String loss) {
        return new Apgd(o.eps(), o.norm(), o.stepsOr(100), o.restarts(), loss, 9, o.earlyStop());
    }

    private static Attack pgd(AttackOptions o, String loss) {
        int steps = o.stepsOr(20);
        double step = o.stepSize() == null ? 2.5 * o.eps() / steps : o.stepSize();
        return new Pgd(o.eps(), o.norm(), steps, step, o.restarts(), o.randomStart(), o.earlyStop(), loss);
    }
}
