package org.widerobust.plugin.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceException;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.provenance.EvaluationProvenance;

/**
 * Provenance of a robustness evaluation: Tribuo's {@link EvaluationProvenance} (model and test data), the
 * configuration of the evaluator (which holds its attacks as configured components), the configuration of every
 * attack on its own, and where the model ran. Round-trips through OLCUT's
 * {@code ProvenanceUtil.marshalProvenance} / {@code unmarshalProvenance} (it has the map constructor that needs).
 */
public final class RobustnessEvaluationProvenance implements ObjectProvenance {
    private static final long serialVersionUID = 1L;
    static final String EVALUATION = "evaluation";
    static final String EVALUATOR = "evaluator";
    static final String ATTACKS = "attacks";
    static final String DEVICE = "device";

    private final EvaluationProvenance evaluation;
    private final ConfiguredObjectProvenance evaluator;
    private final ListProvenance<ConfiguredObjectProvenance> attacks;
    private final StringProvenance device;

    /**
     * @param evaluation the model and data provenance
     * @param evaluator  the evaluator's configuration
     * @param attacks    each attack's configuration, in run order
     * @param device     where the model ran, e.g. {@code cpu (2 threads)}
     */
    public RobustnessEvaluationProvenance(EvaluationProvenance evaluation, ConfiguredObjectProvenance evaluator,
                                          List<ConfiguredObjectProvenance> attacks, String device) {
        this.evaluation = Objects.requireNonNull(evaluation, "evaluation");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.attacks = new ListProvenance<>(new ArrayList<>(attacks));
        this.device = new StringProvenance(DEVICE, device == null ? "unknown" : device);
    }

    /** The unmarshalling constructor. */
    @SuppressWarnings("unchecked")
    public RobustnessEvaluationProvenance(Map<String, Provenance> map) {
        this.evaluation = ObjectProvenance.checkAndExtractProvenance(map, EVALUATION, EvaluationProvenance.class,
                RobustnessEvaluationProvenance.class.getSimpleName());
        this.evaluator = ObjectProvenance.checkAndExtractProvenance(map, EVALUATOR, ConfiguredObjectProvenance.class,
                RobustnessEvaluationProvenance.class.getSimpleName());
        Provenance a = map.get(ATTACKS);
        if (!(a instanceof ListProvenance)) {
            throw new ProvenanceException("missing or malformed '" + ATTACKS + "' in " + map.keySet());
        }
        this.attacks = (ListProvenance<ConfiguredObjectProvenance>) a;
        this.device = ObjectProvenance.checkAndExtractProvenance(map, DEVICE, StringProvenance.class,
                RobustnessEvaluationProvenance.class.getSimpleName());
    }

    /** Tribuo's evaluation provenance (model and test data). */
    public EvaluationProvenance evaluationProvenance() {
        return evaluation;
    }

    /** The evaluator's configuration. */
    public ConfiguredObjectProvenance evaluatorProvenance() {
        return evaluator;
    }

    /** The attacks' configurations, in run order. */
    public List<ConfiguredObjectProvenance> attackProvenances() {
        return attacks.getList();
    }

    /** Where the model ran. */
    public String device() {
        return device.getValue();
    }

    @Override
    public String getClassName() {
        return RobustnessEvaluator.class.getName();
    }

    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        Map<String, Provenance> m = new LinkedHashMap<>();
        m.put(EVALUATION, evaluation);
        m.put(EVALUATOR, evaluator);
        m.put(ATTACKS, attacks);
        m.put(DEVICE, device);
        List<Pair<String, Provenance>> l = new ArrayList<>();
        m.forEach((k, v) -> l.add(new Pair<>(k, v)));
        return l.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RobustnessEvaluationProvenance p && evaluation.equals(p.evaluation)
                && evaluator.equals(p.evaluator) && attacks.equals(p.attacks) && device.equals(p.device);
    }

    @Override
    public int hashCode() {
        return Objects.hash(evaluation, evaluator, attacks, device);
    }

    @Override
    public String toString() {
        return generateString("RobustnessEvaluation");
    }
}
