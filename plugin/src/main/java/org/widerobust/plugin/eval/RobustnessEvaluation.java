package org.widerobust.plugin.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.evaluation.metrics.MetricID;
import org.tribuo.evaluation.metrics.MetricTarget;
import org.tribuo.provenance.EvaluationProvenance;

/**
 * The result of a {@link RobustnessEvaluator}: natural accuracy, robust accuracy per attack and in the worst case
 * over all attacks, perturbation stability, the optional local Lipschitz estimate, perturbation sizes, queries,
 * time, sanity warnings, Tribuo's per-class {@link LabelEvaluation} of the worst-case adversarial predictions, and
 * the worst-case adversarial examples themselves.
 *
 * <p>{@link #asMap()} holds the scalar metrics under {@link MetricTarget#macroAverageTarget()} with the names
 * {@value #NATURAL_ACCURACY}, {@value #ROBUST_ACCURACY}, {@value #PERTURBATION_STABILITY},
 * {@value #LOCAL_LIPSCHITZ} (when estimated), {@code robust_accuracy/ATTACK} and
 * {@code perturbation_stability/ATTACK}.
 */
public final class RobustnessEvaluation implements Evaluation<Label> {
    /** Metric name of the clean accuracy. */
    public static final String NATURAL_ACCURACY = "natural_accuracy";
    /** Metric name of the worst-case robust accuracy. */
    public static final String ROBUST_ACCURACY = "robust_accuracy";
    /** Metric name of the worst-case perturbation stability. */
    public static final String PERTURBATION_STABILITY = "perturbation_stability";
    /** Metric name of the local Lipschitz estimate. */
    public static final String LOCAL_LIPSCHITZ = "local_lipschitz";

    private final RobustnessEvaluationProvenance provenance;
    private final double naturalAccuracy;
    private final double robustAccuracy;
    private final double stability;
    private final OptionalDouble lipschitz;
    private final String lipschitzMethod;
    private final Map<String, AttackSummary> perAttack;
    private final PerturbationStats perturbations;
    private final long queries;
    private final double seconds;
    private final double zeroGradientFraction;
    private final List<String> warnings;
    private final LabelEvaluation adversarialEvaluation;
    private final AdversarialExamples examples;

    RobustnessEvaluation(RobustnessEvaluationProvenance provenance, double naturalAccuracy, double robustAccuracy,
                         double stability, OptionalDouble lipschitz, String lipschitzMethod,
                         Map<String, AttackSummary> perAttack, PerturbationStats perturbations, long queries,
                         double seconds, double zeroGradientFraction, List<String> warnings,
                         LabelEvaluation adversarialEvaluation, AdversarialExamples examples) {
        this.provenance = provenance;
        this.naturalAccuracy = naturalAccuracy;
        this.robustAccuracy = robustAccuracy;
        this.stability = stability;
        this.lipschitz = lipschitz;
        this.lipschitzMethod = lipschitzMethod;
        this.perAttack = Collections.unmodifiableMap(new LinkedHashMap<>(perAttack));
        this.perturbations = perturbations;
        this.queries = queries;
        this.seconds = seconds;
        this.zeroGradientFraction = zeroGradientFraction;
        this.warnings = List.copyOf(warnings);
        this.adversarialEvaluation = adversarialEvaluation;
        this.examples = examples;
    }

    /** Accuracy on the clean points. */
    public double naturalAccuracy() {
        return naturalAccuracy;
    }

    /** Share of points classified correctly under every attack (the worst case over the cascade). */
    public double robustAccuracy() {
        return robustAccuracy;
    }

    /** Share of points whose worst-case adversarial prediction equals the clean prediction, whatever the label. */
    public double perturbationStability() {
        return stability;
    }

    /** Mean over points of the local Lipschitz estimate, if it was asked for and the model gives gradients. */
    public OptionalDouble localLipschitz() {
        return lipschitz;
    }

    /** How the Lipschitz estimate was found, or null if not estimated. */
    public String lipschitzMethod() {
        return lipschitzMethod;
    }

    /** Each attack's own result, in run order, by name. */
    public Map<String, AttackSummary> perAttack() {
        return perAttack;
    }

    /** Sizes of the worst-case perturbations. */
    public PerturbationStats perturbations() {
        return perturbations;
    }

    /** Model evaluations spent by all attacks (black-box queries for score-based attacks). */
    public long queries() {
        return queries;
    }

    /** Wall time of the whole evaluation in seconds. */
    public double seconds() {
        return seconds;
    }

    /** Share of points whose cross-entropy input gradient is exactly zero (NaN for black-box models). */
    public double zeroGradientFraction() {
        return zeroGradientFraction;
    }

    /** Sanity warnings (gradient masking signs, probability outputs, nondeterminism, ε too large, ...). */
    public List<String> warnings() {
        return warnings;
    }

    /** Tribuo's per-class evaluation of the worst-case adversarial predictions. */
    public LabelEvaluation adversarialEvaluation() {
        return adversarialEvaluation;
    }

    /** The worst-case adversarial examples, predictions and the attack that broke each point. */
    public AdversarialExamples examples() {
        return examples;
    }

    /** The full provenance: Tribuo's evaluation provenance plus the evaluator's and attacks' configuration. */
    public RobustnessEvaluationProvenance robustnessProvenance() {
        return provenance;
    }

    /** Tribuo's evaluation provenance (model and test data). */
    @Override
    public EvaluationProvenance getProvenance() {
        return provenance.evaluationProvenance();
    }

    /** The worst-case adversarial predictions (their examples carry the true labels). */
    @Override
    public List<Prediction<Label>> getPredictions() {
        return adversarialEvaluation.getPredictions();
    }

    @Override
    public Map<MetricID<Label>, Double> asMap() {
        Map<MetricID<Label>, Double> m = new LinkedHashMap<>();
        MetricTarget<Label> t = MetricTarget.macroAverageTarget();
        m.put(new MetricID<>(t, NATURAL_ACCURACY), naturalAccuracy);
        m.put(new MetricID<>(t, ROBUST_ACCURACY), robustAccuracy);
        m.put(new MetricID<>(t, PERTURBATION_STABILITY), stability);
        lipschitz.ifPresent(v -> m.put(new MetricID<>(t, LOCAL_LIPSCHITZ), v));
        for (AttackSummary a : perAttack.values()) {
            m.put(new MetricID<>(t, ROBUST_ACCURACY + "/" + a.name()), a.robustAccuracy());
            m.put(new MetricID<>(t, PERTURBATION_STABILITY + "/" + a.name()), a.stability());
        }
        return m;
    }

    /** The value of a metric of {@link #asMap()} by name. */
    public double get(String metricName) {
        MetricTarget<Label> t = MetricTarget.macroAverageTarget();
        return get(new MetricID<>(t, metricName));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("RobustnessEvaluation(natural_accuracy=").append(naturalAccuracy)
                .append(", robust_accuracy=").append(robustAccuracy).append(", stability=").append(stability);
        lipschitz.ifPresent(v -> b.append(", local_lipschitz=").append(v));
        perAttack.values().forEach(a -> b.append(", ").append(a.name()).append('=').append(a.robustAccuracy()));
        return b.append(", warnings=").append(warnings.size()).append(')').toString();
    }
}
