package org.widerobust.plugin.train;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.tribuo.provenance.ModelProvenance;

/**
 * The training history a trained {@link NetworkModel} carries in its provenance (the instance provenance under
 * {@value #KEY}): per epoch the natural risk, robust regularisation, λ (last and mean), ρ_t, the local Lipschitz proxy
 * and the validation measurements, plus the λ rule's settings and ρ_ref. A later run reads ρ_ref for Width Adjusted
 * Regularization from it ({@link #referenceRatio}).
 */
public final class TrainingHistory {
    /** The instance-provenance key of the history. */
    public static final String KEY = "training_history";
    /** Per-epoch fields, as in {@code train.json}. */
    public static final String NATURAL_RISK = "natural_risk";
    public static final String ROBUST_REGULARIZATION = "robust_regularization";
    public static final String LAMBDA_LAST = "lambda_last";
    public static final String LAMBDA_MEAN = "lambda_mean";
    public static final String RATIO = "ratio";
    public static final String LOCAL_LIPSCHITZ = "local_lipschitz";
    public static final String VAL_NATURAL_ACCURACY = "val_natural_accuracy";
    public static final String VAL_ROBUST_ACCURACY = "val_robust_accuracy";
    public static final String VAL_STABILITY = "val_stability";
    /** The rule's settings, as a string. */
    public static final String LAMBDA_RULE = "lambda_rule";
    /** The method. */
    public static final String METHOD = "method";

    private TrainingHistory() {}

    /** The history as one provenance entry for {@link ModelProvenance}'s instance map. */
    static Map<String, Provenance> provenance(List<EpochSummary> epochs, String method, Map<String, Object> rule,
                                              String model) {
        Map<String, Provenance> m = new LinkedHashMap<>();
        m.put(METHOD, new StringProvenance(METHOD, method));
        m.put(LAMBDA_RULE, new StringProvenance(LAMBDA_RULE, rule.toString()));
        m.put("model", new StringProvenance("model", model));
        m.put(NATURAL_RISK, list(NATURAL_RISK, epochs, EpochSummary::naturalRisk));
        m.put(ROBUST_REGULARIZATION, list(ROBUST_REGULARIZATION, epochs, EpochSummary::robustRegularization));
        m.put(LAMBDA_LAST, list(LAMBDA_LAST, epochs, EpochSummary::lambdaLast));
        m.put(LAMBDA_MEAN, list(LAMBDA_MEAN, epochs, EpochSummary::lambdaMean));
        m.put(RATIO, list(RATIO, epochs, EpochSummary::ratio));
        m.put(LOCAL_LIPSCHITZ, list(LOCAL_LIPSCHITZ, epochs, EpochSummary::localLipschitz));
        m.put(VAL_NATURAL_ACCURACY, list(VAL_NATURAL_ACCURACY, epochs, EpochSummary::valNaturalAccuracy));
        m.put(VAL_ROBUST_ACCURACY, list(VAL_ROBUST_ACCURACY, epochs, EpochSummary::valRobustAccuracy));
        m.put(VAL_STABILITY, list(VAL_STABILITY, epochs, EpochSummary::valStability));
        Map<String, Provenance> out = new LinkedHashMap<>();
        out.put(KEY, new MapProvenance<>(m));
        return out;
    }

    private static ListProvenance<DoubleProvenance> list(String key, List<EpochSummary> epochs,
                                                         ToDoubleFunction<EpochSummary> f) {
        List<DoubleProvenance> l = new ArrayList<>();
        for (EpochSummary e : epochs) {
            l.add(new DoubleProvenance(key, f.applyAsDouble(e)));
        }
        return new ListProvenance<>(l);
    }

    /** Which checkpoint of its run a model is, {@code last} or {@code best}, from its history; null if unrecorded. */
    public static String checkpoint(ModelProvenance mp) {
        if (mp.getInstanceProvenance().getMap().get(KEY) instanceof MapProvenance<?> map
                && map.getMap().get("model") instanceof com.oracle.labs.mlrg.olcut.provenance.primitives
                .StringProvenance which) {
            return which.getValue();
        }
        return null;
    }

    /**
     * ρ_ref of a reference run from its model's provenance: R̄_rob / R̄_nat of its last epoch (the balance its tuned
     * λ₀ ended at). {@code org.widerobust.plugin.train.war.ReferenceRun} reads a reference model file.
     *
     * @param where names the model in errors
     * @throws IllegalArgumentException if the provenance carries no robust history
     */
    public static double referenceRatio(ModelProvenance mp, String where) {
        Provenance h = mp.getInstanceProvenance().getMap().get(KEY);
        if (!(h instanceof MapProvenance<?> map)) {
            throw new IllegalArgumentException("reference model " + where + " has no training history (train it "
                    + "with this version of widerobust, or give --war-ratio)");
        }
        double nat = last(map, NATURAL_RISK);
        double rob = last(map, ROBUST_REGULARIZATION);
        if (!(nat > 0) || !(rob >= 0) || !Double.isFinite(rob)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "reference model %s has no usable "
                    + "R_rob / R_nat (last epoch: R_nat=%s, R_rob=%s; a natural run has no robust term)", where, nat,
                    rob));
        }
        return rob / nat;
    }

    private static double last(MapProvenance<?> map, String key) {
        Provenance p = map.getMap().get(key);
        if (p instanceof ListProvenance<?> l && !l.getList().isEmpty()
                && l.getList().get(l.getList().size() - 1) instanceof DoubleProvenance d) {
            return d.getValue();
        }
        return Double.NaN;
    }
}
