package org.widerobust.plugin.attack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Attacks by name, for the CLI ({@code --attack NAME[,NAME…]}) and the evaluator. Each family has its own budget
 * ({@link AttackOptions}), and each attack's {@link Attack#name()} names it:
 * <ul>
 *   <li>{@code fgsm};</li>
 *   <li>{@code pgd}, {@code pgd-cw}, {@code pgd-kl}, {@code pgd-dlr}: PGD steps (default 20, e.g. {@code pgd-20}),
 *       step size 2.5·ε/steps;</li>
 *   <li>{@code apgd-ce}, {@code apgd-dlr}, {@code apgd-t} (9 target classes): APGD iterations (default 100,
 *       e.g. {@code apgd-ce-100});</li>
 *   <li>{@code fab}, {@code fab-t} (9 target classes): FAB iterations (default 100, e.g. {@code fab-t-100});</li>
 *   <li>{@code square} (L∞): queries (default 5,000, {@code square-5000});</li>
 *   <li>{@code autoattack}: AutoAttack's standard version, APGD-CE → APGD-T → FAB-T → Square, worst case per
 *       point ({@link AttackCascade#standard}).</li>
 * </ul>
 *
 * <p>Options an attack has no use for are ignored: APGD always starts at random and sets its own step size;
 * Square uses neither step size, restarts nor random start; FGSM takes one step of size ε; AutoAttack's attacks
 * run one restart each, as in its standard version.
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
        FACTORIES.put("fab", o -> new Fab(o.eps(), o.norm(), o.fabIterationsOrDefault(), o.restarts(), false, 9));
        FACTORIES.put("fab-t", o -> new Fab(o.eps(), o.norm(), o.fabIterationsOrDefault(), o.restarts(), true, 9));
        FACTORIES.put("square", o -> {
            if (o.norm() != Norm.LINF) {
                throw new IllegalArgumentException("the square attack supports only linf, not " + o.norm());
            }
            return new SquareAttack(o.eps(), o.squareQueriesOrDefault());
        });
        FACTORIES.put("autoattack", o -> AttackCascade.standard(o.eps(), o.norm(), o.apgdIterationsOrDefault(),
                o.fabIterationsOrDefault(), o.squareQueriesOrDefault()));
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
        for (String s : org.widerobust.plugin.OptionValues.list("attack", names)) {
            out.add(create(s, opts));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no attack named; known attacks: " + String.join(", ", names()));
        }
        return out;
    }

    private static Attack apgd(AttackOptions o, String loss) {
        return new Apgd(o.eps(), o.norm(), o.apgdIterationsOrDefault(), o.restarts(), loss, 9, o.earlyStop());
    }

    private static Attack pgd(AttackOptions o, String loss) {
        int steps = o.pgdSteps();
        double step = o.stepSize() == null ? 2.5 * o.eps() / steps : o.stepSize();
        return new Pgd(o.eps(), o.norm(), steps, step, o.restarts(), o.randomStart(), o.earlyStop(), loss);
    }
}
