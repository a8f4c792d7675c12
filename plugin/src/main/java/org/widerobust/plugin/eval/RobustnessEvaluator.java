package org.widerobust.plugin.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.evaluation.Evaluator;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.EvaluationProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.data.ExampleTensorMapper;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackTarget;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.model.LoadedModel;
import org.widerobust.plugin.model.ModelLoader;
import org.widerobust.plugin.model.TargetModel;

/**
 * Evaluates the adversarial robustness of a classifier under a list of attacks (the cascade), batch by batch over
 * dense data, into a {@link RobustnessEvaluation}.
 *
 * <p>Every attack runs on every point, against the point's clean prediction, so each attack's own robust accuracy
 * and perturbation stability are reported; a point counts as robust only if it is classified correctly and no
 * attack changes its prediction (the worst case), so a point misclassified on its clean input is robust under no
 * attack. Predictions are re-computed by the evaluator on each adversarial example, which is also checked against
 * the attack's ε-ball and the input box. An attack that cannot run on the model (APGD-T on fewer than 4 classes)
 * is an {@link IllegalArgumentException} before any work; an ensemble ({@code autoattack}) runs the attacks that
 * apply and says in the warnings which it left out and why. Non-finite model outputs are a
 * {@link NonFiniteOutputException}.
 *
 * <p>As a Tribuo {@link Evaluator} it attacks any {@code Model<Label>}: a Tribuo {@code ONNXExternalModel}
 * white-box (on {@link #device}), anything else black-box through its scores (only score-based attacks then
 * work). {@link #evaluate(AttackTarget, DenseDataset, Model, EvaluationListener)} is the fast path on dense data.
 * Configurable with OLCUT; the attacks are configured components.
 */
public final class RobustnessEvaluator implements Evaluator<Label, RobustnessEvaluation>, Configurable,
        Provenancable<ConfiguredObjectProvenance> {

    @Config(mandatory = true, description = "The attacks, in run order; robust accuracy is the worst case over all.")
    private List<Attack> attacks;

    @Config(description = "Examples per batch.")
    private int batchSize = 256;

    @Config(description = "Seed for random starts and random search.")
    private long seed = 0L;

    @Config(description = "Whether to estimate the local Lipschitz constant (white-box models only).")
    private boolean lipschitz = false;

    @Config(description = "Ascent steps of the Lipschitz estimate.")
    private int lipschitzSteps = 10;

    @Config(description = "Radius of the Lipschitz estimate's L-inf ball; 0 means the largest attack epsilon.")
    private double lipschitzEpsilon = 0;

    @Config(description = "Whether to run the sanity checks (zero gradients, repeat runs, ...).")
    private boolean sanityChecks = true;

    @Config(description = "Accuracy gap (fraction, 0.002 = 0.2 points) by which a black-box attack must beat the "
            + "white-box ones to be reported as a sign of gradient masking.")
    private double maskingThreshold = 0.002;

    @Config(description = "Whether to keep every attack's own adversarial examples (memory: one copy of the data "
            + "per attack), not only the worst case.")
    private boolean perAttackExamples = false;

    @Config(description = "Device for white-box Tribuo ONNX models: auto, cpu, cuda, cuda:N.")
    private String device = "cpu";

    @Config(description = "ONNX Runtime threads for white-box Tribuo ONNX models (0 = all cores).")
    private int threads = 0;

    /** For OLCUT. */
    private RobustnessEvaluator() {}

    /** An evaluator with default settings. */
    public RobustnessEvaluator(List<Attack> attacks) {
        this(attacks, 256, 0L, false, 10);
    }

    /**
     * @param attacks        the cascade
     * @param batchSize      examples per batch
     * @param seed           seed for the attacks' randomness
     * @param lipschitz      whether to estimate the local Lipschitz constant
     * @param lipschitzSteps ascent steps for it
     */
    public RobustnessEvaluator(List<Attack> attacks, int batchSize, long seed, boolean lipschitz, int lipschitzSteps) {
        this.attacks = new ArrayList<>(attacks);
        this.batchSize = batchSize;
        this.seed = seed;
        this.lipschitz = lipschitz;
        this.lipschitzSteps = lipschitzSteps;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (attacks == null || attacks.isEmpty()) {
            throw new PropertyException("", "attacks", "at least one attack is needed");
        }
        if (batchSize < 1) {
            throw new PropertyException("", "batchSize", "must be at least 1, got " + batchSize);
        }
        if (lipschitzSteps < 1) {
            throw new PropertyException("", "lipschitzSteps", "must be at least 1, got " + lipschitzSteps);
        }
    }

    /**
     * Sets the radius of the Lipschitz estimate's L∞ ball, in input units (0: the largest L∞ attack ε); returns this.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public RobustnessEvaluator withLipschitzEpsilon(double radius) {
        if (!(radius >= 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("the Lipschitz radius must be >= 0 and finite, got " + radius);
        }
        this.lipschitzEpsilon = radius;
        return this;
    }

    /** Keeps every attack's own adversarial examples in the evaluation (see {@link AdversarialExamples}); returns this. */
    public RobustnessEvaluator withPerAttackExamples(boolean keep) {
        this.perAttackExamples = keep;
        return this;
    }

    /** The attacks, in run order. */
    public List<Attack> attacks() {
        return List.copyOf(attacks);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "RobustnessEvaluator");
    }

    // ------------------------------------------------------------------ Tribuo's Evaluator

    @Override
    public RobustnessEvaluation evaluate(Model<Label> model, Dataset<Label> dataset) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("no examples to evaluate: the data set is empty");
        }
        DenseDataset dense = toDense(model, dataset, dataset.size(), dataset.getProvenance(),
                dataset.getSourceDescription());
        return evaluateTribuo(model, dense);
    }

    @Override
    public RobustnessEvaluation evaluate(Model<Label> model, DataSource<Label> source) {
        return evaluate(model, new MutableDataset<>(source));
    }

    /** Attacks the examples the predictions were made on (the predictions themselves are not used). */
    @Override
    public RobustnessEvaluation evaluate(Model<Label> model, List<Prediction<Label>> predictions,
                                         DataProvenance dataProvenance) {
        List<Example<Label>> examples = new ArrayList<>(predictions.size());
        for (Prediction<Label> p : predictions) {
            examples.add(p.getExample());
        }
        return evaluateTribuo(model, toDense(model, examples, examples.size(), dataProvenance, "predictions"));
    }

    private RobustnessEvaluation evaluateTribuo(Model<Label> model, DenseDataset dense) {
        DeviceSpec spec = DeviceSpec.parse(device);
        try (Engine engine = Engine.create(spec, threads);
             LoadedModel loaded = ModelLoader.wrap(model, engine)) {
            LoadedModel.Bound b = loaded.bind(dense);
            try {
                return evaluate(b.target(), b.data(), b.model(), EvaluationListener.NONE,
                        engine.deviceDescription(), loaded.warnings());
            } catch (NonFiniteOutputException e) {
                throw e.naming(loaded.description());
            }
        }
    }

    private static DenseDataset toDense(Model<Label> model, Iterable<Example<Label>> examples, int size,
                                        DataProvenance provenance, String description) {
        ModelLoader.Layout layout = ModelLoader.denseLayout(model);
        ExampleTensorMapper mapper = new ExampleTensorMapper(layout.featureNames(), layout.exampleShape(),
                ExampleTensorMapper.labelNamesOf(model.getOutputIDInfo()), ExampleTensorMapper.UnknownFeatures.IGNORE);
        return mapper.convert(examples, size, provenance, description).dataset();
    }

    // ------------------------------------------------------------------ fast path

    /** The fast path with a Tribuo view of the target ({@link TargetModel}) and no progress reports. */
    public RobustnessEvaluation evaluate(AttackTarget target, DenseDataset data) {
        Model<Label> view = TargetModel.of("target", target, data, TargetModel.externalProvenance(
                "in-memory attack target", null, null, data.exampleLength(), data.numClasses()));
        return evaluate(target, data, view, EvaluationListener.NONE);
    }

    /**
     * Evaluates a target on dense data whose label {@code k} is the target's class {@code k}.
     *
     * @param model    the Tribuo model the target stands for (its provenance and label domain are used)
     * @param listener progress reports
     */
    public RobustnessEvaluation evaluate(AttackTarget target, DenseDataset data, Model<Label> model,
                                         EvaluationListener listener) {
        return evaluate(target, data, model, listener, null, List.of());
    }

    /**
     * As {@link #evaluate(AttackTarget, DenseDataset, Model, EvaluationListener)}, recording the device and
     * adding warnings found while loading the model.
     */
    public RobustnessEvaluation evaluate(AttackTarget target, DenseDataset data, Model<Label> model,
                                         EvaluationListener listener, String deviceDescription,
                                         List<String> extraWarnings) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("no examples to evaluate: the data set is empty");
        }
        checkCompatible(target, data);
        boolean white = target instanceof org.widerobust.plugin.attack.GradientTarget;
        for (Attack a : attacks) {
            if (a.needsGradients() && !white) {
                throw new IllegalArgumentException("attack " + a.name() + " needs gradients but the model ("
                        + target.getClass().getSimpleName() + ") is a black box; use a score-based attack");
            }
        }
        List<String> leftOut = new ArrayList<>();
        for (Attack a : attacks) {
            String reason = a.unsupportedReason(target);
            if (reason != null) {
                throw new IllegalArgumentException(reason);
            }
            for (String r : a.leftOut(target)) {
                leftOut.add(a.name() + " left out an attack and ran the others: " + r);
            }
        }
        LipschitzEstimator lip = lipschitz ? new LipschitzEstimator(lipschitzRadius(), lipschitzSteps) : null;
        EvaluationRun.Outcome o = new EvaluationRun(target, data, attacks, batchSize, seed, lip, sanityChecks,
                listener, perAttackExamples).run();

        List<String> warnings = new ArrayList<>(extraWarnings);
        warnings.addAll(leftOut);
        warnings.addAll(SanityChecks.epsilonChecks(attacks, target.inputBounds(), target.exampleLength()));
        if (lip != null && lipschitzEpsilon > 0) { // a radius of its own (the attacks' are checked above)
            String covering = org.widerobust.plugin.model.InputDomain.coveringBudgetWarning("lipschitz radius",
                    lipschitzEpsilon, true, target.inputBounds(), target.exampleLength(),
                    "the local Lipschitz estimate is not local");
            if (covering != null) {
                warnings.add(covering);
            }
        }
        if (sanityChecks) {
            String chance = SanityChecks.chanceLevel(o.naturalAccuracy(), target.numClasses(), data.size());
            if (chance != null) {
                warnings.add(chance);
            }
            // a black box's scores are what they are (a Tribuo model's are probabilities): no advice to re-export
            warnings.addAll(SanityChecks.observations(o.zeroGradientFraction(), o.probabilityOutputs() && white,
                    o.rerunDifference(), o.summaries(), maskingThreshold));
        }
        if (lipschitz && !white) {
            warnings.add("local_lipschitz needs a white-box (gradient) model; not estimated");
        }

        DataProvenance dp = data.provenance() != null ? data.provenance()
                : new SimpleDataSourceProvenance(data.description().isEmpty() ? "dense data" : data.description(),
                        new org.tribuo.classification.LabelFactory());
        LabelEvaluation adv = labelEvaluation(model, predictions(o, model.getOutputIDInfo(), data.exampleLength()),
                dp);
        EvaluationProvenance ep = new EvaluationProvenance(model.getProvenance(), dp);
        List<ConfiguredObjectProvenance> ap = new ArrayList<>();
        for (Attack a : attacks) {
            ap.add(a.getProvenance());
        }
        RobustnessEvaluationProvenance prov = new RobustnessEvaluationProvenance(ep, getProvenance(), ap,
                deviceDescription == null ? "unknown" : deviceDescription);
        Map<String, AttackSummary> per = new LinkedHashMap<>();
        for (AttackSummary s : o.summaries()) {
            per.put(s.name(), s);
        }
        OptionalDouble l = Double.isNaN(o.lipschitzMean()) ? OptionalDouble.empty()
                : OptionalDouble.of(o.lipschitzMean());
        return new RobustnessEvaluation(prov, o.naturalAccuracy(), o.robustAccuracy(), o.stability(), l,
                lip != null && white ? lip.describe() : null, per, o.perturbations(), o.queries(), o.seconds(),
                o.zeroGradientFraction(), warnings, adv, o.examples());
    }

    /**
     * Tribuo's per-class evaluation, without its log warnings about classes that were never predicted (common
     * under attack, and reported in the per-class figures anyway).
     */
    private static LabelEvaluation labelEvaluation(Model<Label> model, List<Prediction<Label>> predictions,
                                                   DataProvenance dp) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(
                "org.tribuo.classification.evaluation.ConfusionMetrics");
        java.util.logging.Level old = log.getLevel();
        log.setLevel(java.util.logging.Level.SEVERE);
        try {
            return new LabelEvaluator().evaluate(model, predictions, dp);
        } finally {
            log.setLevel(old);
        }
    }

    private double lipschitzRadius() {
        if (lipschitzEpsilon > 0) {
            return lipschitzEpsilon;
        }
        double m = 0;
        for (Attack a : attacks) {
            if (a.norm() == Norm.LINF) {
                m = Math.max(m, a.epsilon());
            }
        }
        if (m > 0) {
            return m;
        }
        // an L2 budget is no L-inf radius: 1.5 in L2 on [0, 1] images would cover the whole box
        throw new IllegalArgumentException("the local Lipschitz estimate is over an L-inf ball, and no attack is L-inf "
                + "(an L2 budget is no L-inf radius: each pixel could move by all of it): give its radius "
                + "(lipschitzEpsilon; --lipschitz-eps on the command line)");
    }

    private static void checkCompatible(AttackTarget target, DenseDataset data) {
        if (target.exampleLength() != data.exampleLength()) {
            throw new IllegalArgumentException("shape mismatch: the model expects examples of shape "
                    + java.util.Arrays.toString(target.exampleShape()) + " but the data has examples of shape "
                    + java.util.Arrays.toString(data.exampleShape()));
        }
        if (target.numClasses() != data.numClasses()) {
            throw new IllegalArgumentException("class mismatch: the model has " + target.numClasses()
                    + " classes but the data has " + data.numClasses());
        }
    }

    private static List<Prediction<Label>> predictions(EvaluationRun.Outcome o, ImmutableOutputInfo<Label> outputs,
                                                       int exampleLength) {
        AdversarialExamples ex = o.examples();
        int k = outputs.size();
        List<Prediction<Label>> out = new ArrayList<>(ex.size());
        float[] scores = o.adversarialScores();
        for (int i = 0; i < ex.size(); i++) {
            Example<Label> e = new ArrayExample<>(outputs.getOutput(ex.labels()[i]));
            out.add(TargetModel.prediction(scores, i * k, k, outputs, exampleLength, e));
        }
        return out;
    }
}
