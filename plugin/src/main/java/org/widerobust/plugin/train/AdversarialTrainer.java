package org.widerobust.plugin.train;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;

import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableFeatureMap;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;
import org.widerobust.descriptors.network.Families;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.datasets.ImageConverter;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor;
import org.widerobust.plugin.model.InputDomain;
import org.widerobust.plugin.train.war.FixedLambda;
import org.widerobust.plugin.train.war.LambdaRule;
import org.widerobust.plugin.train.war.PowerRule;
import org.widerobust.plugin.train.war.RatioRule;

/**
 * Trains a width-parameterised network with natural, PGD or TRADES training in the λ form of Wu et al. (NeurIPS
 * 2021), {@code R_nat + λ·R_rob}, with λ from a {@link LambdaRule} (fixed, or Width Adjusted Regularization), and
 * returns a {@link NetworkModel} carrying its {@link TrainingHistory}; with validation examples also the model of the
 * epoch with the best validation robust accuracy. Defaults follow the TRADES recipe: SGD with momentum 0.9, weight
 * decay 2e-4, learning rate ×0.1 at 75% and ×0.01 at 90% of the epochs.
 * <p>
 * An OLCUT {@link com.oracle.labs.mlrg.olcut.config.Configurable}: set the {@code @Config} fields (or use
 * {@link #builder()}), then {@link #postConfig()} validates them. Training is reproducible: the same configuration
 * and data with the same number of engine threads give byte-identical weights on the CPU, and a run resumed from a
 * checkpoint ends with the same weights as an uninterrupted one. The thread count matters for convolutional
 * networks: ONNX Runtime splits a convolution's sums by thread, so {@code threads} 1 and 2 round differently. The
 * default ({@code threads} 0: all cores) thus depends on the machine; the model records the count that ran
 * ({@link NetworkModel#trainingThreads()}).
 */
public final class AdversarialTrainer implements Trainer<Label> {
    @Config(description = "The network; if unset, built from family and width. If family or width are set too, "
            + "they must describe this network.")
    private NetworkDescriptor network;
    @Config(description = "Network family (" + Families.HELP + ") when network is unset (default smallcnn); "
            + "postConfig sets it to the family of the network that runs.")
    private String family = "";
    @Config(description = "Width factor k when network is unset (default 1, or 10 for wrn); postConfig sets it to "
            + "the width of the network that runs.")
    private double width = 0;
    @Config(description = "Training method: natural, pgd or trades.")
    private String method = "trades";
    @Config(description = "L-inf radius of the training attack (> 0).")
    private double epsilon = 0.1;
    @Config(description = "Attack steps (>= 1).")
    private int attackSteps = 10;
    @Config(description = "Attack step size (> 0); 0 means epsilon/4, and postConfig records the effective value.")
    private double stepSize = 0;
    @Config(description = "lambda0 of the lambda-form objective (TRADES beta; 1 is Madry PGD-AT), >= 0.")
    private double lambda = 6.0;
    @Config(description = "How lambda evolves during training (fixed, ratio = WAR, power); unset for fixed.")
    private LambdaRule lambdaRule;
    @Config(description = "Training examples held out for per-epoch validation (deterministic from the seed); 0 for "
            + "none.")
    private int validationExamples = 0;
    @Config(description = "PGD steps of the validation robust accuracy (>= 1).")
    private int validationSteps = 20;
    @Config(description = "Learning-rate schedule: piecewise, cosine or constant.")
    private String learningRateSchedule = "piecewise";
    @Config(description = "Nesterov momentum.")
    private boolean nesterov = false;
    @Config(description = "Per-batch JSON-lines log file; empty for none.")
    private String batchLog = "";
    @Config(description = "Epochs (>= 1).")
    private int epochs = 10;
    @Config(description = "Mini-batch size (>= 1).")
    private int batchSize = 128;
    @Config(description = "Initial learning rate (> 0).")
    private double learningRate = 0.01;
    @Config(description = "SGD momentum in [0, 1).")
    private double momentum = 0.9;
    @Config(description = "Weight decay (>= 0).")
    private double weightDecay = 2e-4;
    @Config(description = "Seed of initialisation, shuffling, augmentation and attacks.")
    private long seed = 1;
    @Config(description = "Random crop (4-pixel padding) and horizontal flip for [C, H, W] images.")
    private boolean augment = false;
    @Config(description = "Checkpoint directory; empty for no checkpoints.")
    private String checkpointDir = "";
    @Config(description = "Also checkpoint every this many batches (0: only after each epoch).")
    private int checkpointEvery = 0;
    @Config(description = "Show a progress bar on stderr.")
    private boolean progress = true;
    @Config(description = "Device for train(Dataset): auto, cpu, cuda or cuda:N.")
    private String device = "auto";
    @Config(description = "Engine threads for train(Dataset); <= 0 for all cores. Convolutional networks' weights "
            + "depend on it: fix it for byte-identical models across machines.")
    private int threads = 0;
    @Config(description = "Declared input domain, in feature units: auto (image data with pixel feature names: unit; "
            + "anything else: data), unit ([0, 1]), data (each feature's training minimum and maximum, recorded in "
            + "the model), none (unbounded: attacks stay in their epsilon-ball only), or LO:HI.")
    private String inputDomain = "auto";
    @Config(description = "Per-feature bounds LO:HI by feature name, overriding inputDomain for those features "
            + "(e.g. age -> 0:120).")
    private Map<String, String> featureBounds = new java.util.HashMap<>();
    @Config(description = "For image data from any Tribuo DataSource (e.g. IDXDataSource): the image shape, pixel "
            + "order and scale; the network then takes [C, H, W] images in [0, 1].")
    private ImageConverter imageConverter;

    private TrainingMethod parsedMethod;
    private LearningRateSchedule parsedSchedule;
    private int haltEpoch = -1;
    private int haltBatch = -1;
    private AttackSessions.Plan attackSessionPlan;
    private ParameterPass parameterPass;
    private int invocationCount = 0;
    private TrainingListener listener = TrainingListener.LOGGING;
    private int runInvocation = 0;
    private float[] runDomain;
    private Path runCheckpoint;
    private float runInputScale = 1f;

    /** For OLCUT; call {@link #postConfig()} after setting the fields. */
    public AdversarialTrainer() {}

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void postConfig() {
        try {
            parsedMethod = TrainingMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "method", e.getMessage());
        }
        TrainerSettings.resolveNetwork(this);
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new PropertyException("", "epsilon", "epsilon must be positive and finite, got " + epsilon);
        }
        atLeast("attackSteps", attackSteps, 1);
        if (!(stepSize >= 0) || Double.isInfinite(stepSize)) {
            throw new PropertyException("", "stepSize", "the step size must be >= 0 and finite (0: epsilon/4), got "
                    + stepSize);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new PropertyException("", "lambda", "lambda must be >= 0 and finite, got " + lambda);
        }
        if (lambdaRule == null) {
            lambdaRule = new FixedLambda();
        }
        if (parsedMethod == TrainingMethod.NATURAL && !(lambdaRule instanceof FixedLambda)) {
            throw new PropertyException("", "lambdaRule", "the " + lambdaRule.name() + " lambda rule needs a robust "
                    + "term: use method pgd or trades");
        }
        try {
            lambdaRule.start(lambda, network.width());
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "lambdaRule", e.getMessage());
        }
        atLeast("validationExamples", validationExamples, 0);
        atLeast("validationSteps", validationSteps, 1);
        try {
            parsedSchedule = LearningRateSchedule.parse(learningRateSchedule);
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "learningRateSchedule", e.getMessage());
        }
        atLeast("epochs", epochs, 1);
        atLeast("batchSize", batchSize, 1);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new PropertyException("", "learningRate", "the learning rate must be positive and finite, got "
                    + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new PropertyException("", "momentum", "momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new PropertyException("", "weightDecay", "weight decay must be >= 0 and finite, got "
                    + weightDecay);
        }
        atLeast("checkpointEvery", checkpointEvery, 0);
        if (stepSize == 0) {
            stepSize = epsilon / 4; // record the effective step size
        }
        for (Map.Entry<String, String> e : featureBounds.entrySet()) {
            try {
                float[] b = InputDomain.parse(e.getValue());
                if (b.length != 2) {
                    throw new IllegalArgumentException("use LO:HI");
                }
            } catch (IllegalArgumentException ex) {
                throw new PropertyException("", "featureBounds", "feature '" + e.getKey() + "': "
                        + ex.getMessage());
            }
        }
        if (!inputDomain.equalsIgnoreCase("auto") && !inputDomain.equalsIgnoreCase("data")) {
            try {
                InputDomain.parse(inputDomain);
            } catch (IllegalArgumentException e) {
                throw new PropertyException("", "inputDomain", e.getMessage());
            }
        }
        try {
            DeviceSpec.parse(device);
        } catch (IllegalArgumentException e) {
            throw new PropertyException("", "device", e.getMessage());
        }
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new PropertyException("", name, name + " must be >= " + min + ", got " + value);
        }
    }

    /**
     * Trains on a Tribuo dataset with an engine on {@code device}; the model carries its training history
     * ({@link NetworkModel#history()}).
     */
    @Override
    public NetworkModel train(Dataset<Label> examples) {
        return train(examples, Map.of());
    }

    /** Trains on a Tribuo dataset with an engine on {@code device}; see {@link #trainDense}. */
    @Override
    public NetworkModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public synchronized NetworkModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance,
                                           int invocationCount) {
        if (invocationCount != INCREMENT_INVOCATION_COUNT) {
            setInvocationCount(invocationCount);
        }
        requireConfigured();
        TrainerSettings.checkWeights(examples);
        DenseDataset dense = TrainerSettings.dense(examples, imageConverter);
        float scale = imageConverter == null ? 1f : imageConverter.scale();
        String rescaled = TrainerSettings.rescaledUnitDataWarning(dense, imageConverter);
        if (rescaled != null) {
            listener.warning(rescaled);
        }
        TrainerProvenance tp = getProvenance();
        this.runInvocation = this.invocationCount;
        this.invocationCount++;
        try (Engine engine = Engine.create(DeviceSpec.parse(device), threads)) {
            runInputScale = scale;
            TrainingResult r = run(dense, engine, false, examples.getProvenance(), examples.getFeatureIDMap(),
                    examples.getOutputIDInfo(), tp, runProvenance);
            return r.model();
        } catch (RuntimeException e) {
            this.invocationCount = runInvocation; // a run that produced no model does not count
            throw e;
        }
    }

    /**
     * The fast path: trains on dense data with a caller-owned engine.
     *
     * @param data   the training data
     * @param engine where to run
     * @param resume continue from the checkpoint in {@code checkpointDir} (which must exist); the resumed run is
     *               this trainer's current invocation (a run that failed or was interrupted is not counted)
     * @throws IllegalArgumentException    if the data does not suit the network (before training starts)
     * @throws CheckpointException         if resuming fails (naming the file)
     * @throws TrainingDivergedException   if the loss becomes NaN or infinite
     */
    public synchronized TrainingResult trainDense(DenseDataset data, Engine engine, boolean resume) {
        TrainerProvenance tp = getProvenance();
        runInvocation = invocationCount;
        invocationCount++;
        MutableFeatureMap fm = new MutableFeatureMap();
        for (String f : data.featureNames()) {
            fm.add(f, 0.0);
        }
        runInputScale = 1f;
        try {
            return run(data, engine, resume, new DenseDatasetProvenance(data), new ImmutableFeatureMap(fm),
                    data.outputInfo(), tp, Map.of());
        } catch (RuntimeException e) {
            invocationCount = runInvocation; // a run that produced no model (e.g. killed) does not count
            throw e;
        }
    }

    private TrainingResult run(DenseDataset data, Engine engine, boolean resume, DatasetProvenance dataProvenance,
                               ImmutableFeatureMap features, ImmutableOutputInfo<Label> outputs,
                               TrainerProvenance tp, Map<String, Provenance> runProvenance) {
        requireConfigured();
        if (data.size() == 0) {
            throw new IllegalArgumentException("the training data is empty");
        }
        if (resume && checkpointDir.isEmpty()) {
            throw new IllegalArgumentException("resuming needs a checkpoint directory");
        }
        runDomain = TrainerSettings.withFeatureBounds(TrainerSettings.domain(inputDomain, data,
                imageConverter != null), featureBounds, data.featureNames());
        InputDomain.check(data, runDomain, "training data");
        String covering = InputDomain.coveringBudgetWarning("training", epsilon, true, runDomain,
                data.exampleLength());
        if (covering != null && parsedMethod != TrainingMethod.NATURAL) {
            listener.warning(covering);
        }
        runCheckpoint = TrainerSettings.checkpointFor(checkpointDir, resume, fingerprint(data), runInvocation,
                listener::warning);
        if (lambdaRule instanceof RatioRule ratio) {
            for (String w : ratio.referenceMismatches(parsedMethod.id(), epsilon, family, network.width(), lambda)) {
                listener.warning(w);
            }
            String shortRun = shortWarRunWarning(data.size());
            if (shortRun != null) {
                listener.warning(shortRun);
            }
        }
        if (lambdaRule instanceof PowerRule power) {
            double l = power.lambda(lambda, network.width());
            if (l > RatioRule.DEFAULT_MAX_FACTOR * lambda) {
                // the power law has no ceiling: a large exponent or width ratio runs lambda far from its tuned value
                listener.warning(String.format(Locale.ROOT, "the power rule %s sets lambda to %.4g at width %s, more "
                        + "than %s x lambda0 (the ratio rule's default ceiling): check the power and the reference "
                        + "width", power, l, network.width(), RatioRule.DEFAULT_MAX_FACTOR));
            }
        }
        long start = System.nanoTime();
        TrainingLoop loop = new TrainingLoop(this, data, engine);
        TrainingLoop.Outcome out = loop.run(resume);
        Network trained = out.network();
        Map<String, Provenance> instance = new java.util.LinkedHashMap<>(
                ModelRunProvenance.of(runProvenance, trained, engine, runDomain, out.pass()));
        instance.putAll(TrainingHistory.provenance(out.history(), parsedMethod.id(), lambdaRule.settings(lambda), "last"));
        ModelProvenance mp = new ModelProvenance(NetworkModel.class.getName(), OffsetDateTime.now(), dataProvenance,
                tp, instance);
        NetworkModel model = new NetworkModel(trained.name(), mp, features, outputs, trained, data.featureNames(),
                data.labelNames(), runInputScale, out.history(), engine.deviceDescription(), engine.threads(),
                engine.usesCuda() ? "auto" : "cpu");
        NetworkModel best = null;
        if (out.best() != null) {
            Map<String, Provenance> bi = new java.util.LinkedHashMap<>(
                    ModelRunProvenance.of(runProvenance, out.best(), engine, runDomain, out.pass()));
            bi.putAll(TrainingHistory.provenance(out.history().subList(0, out.bestEpoch()), parsedMethod.id(),
                    lambdaRule.settings(lambda), "best"));
            ModelProvenance bp = new ModelProvenance(NetworkModel.class.getName(), OffsetDateTime.now(),
                    dataProvenance, tp, bi);
            best = new NetworkModel(out.best().name(), bp, features, outputs, out.best(), data.featureNames(),
                    data.labelNames(), runInputScale, out.history().subList(0, out.bestEpoch()),
                    engine.deviceDescription(), engine.threads(), engine.usesCuda() ? "auto" : "cpu");
        }
        double secs = (System.nanoTime() - start) / 1e9;
        return new TrainingResult(model, out.history(), secs, out.examples(), engine.deviceDescription(),
                out.resumedFrom(), best, out.bestEpoch(), out.validationExamples(), out.legs(),
                out.pass().description());
    }

    private void requireConfigured() {
        if (parsedMethod == null) {
            postConfig();
        }
    }

    /** The fingerprint of everything that determines the trained weights (checked when resuming). */
    /**
     * Checks that {@code checkpoint} was written by this trainer's configuration on {@code data} (what
     * {@code --resume} requires), reading only the checkpoint's header.
     *
     * @throws CheckpointException if it is missing, unreadable, or from another configuration (both shown)
     */
    public void requireSameConfiguration(Path checkpoint, DenseDataset data) {
        Checkpoint.requireFingerprint(checkpoint, fingerprint(data));
    }

    String fingerprint(DenseDataset data) {
        return String.format(Locale.ROOT, "%s %s eps=%s steps=%d alpha=%s lambda=%s epochs=%d batch=%d lr=%s "
                        + "momentum=%s wd=%s seed=%d augment=%s data=%s n=%d shape=%s rule=%s val=%d/%d schedule=%s "
                        + "nesterov=%s", parsedMethod.id(),
                network.describe(), epsilon, attackSteps, effectiveStepSize(), lambda, epochs, batchSize,
                learningRate, momentum, weightDecay, seed(), augment,
                TrainerSettings.stableDescription(data.description()), data.size(),
                java.util.Arrays.toString(data.exampleShape()), lambdaRule.fingerprint(lambda), validationExamples,
                validationSteps, parsedSchedule.id(), nesterov);
    }

    @Override
    public int getInvocationCount() {
        return invocationCount;
    }

    @Override
    public synchronized void setInvocationCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("invocation count must be >= 0, got " + count);
        }
        this.invocationCount = count;
    }

    /**
     * The configuration as Tribuo provenance, with effective values (see {@link #postConfig()}) and only what
     * applies: natural training records no training attack and no λ (its ε and step size only with validation,
     * whose attack uses them; PGD and TRADES both minimise the λ form, so both record λ₀), checkpointEvery only with a
     * checkpoint directory, imageConverter and featureBounds only when set. {@link #settings()} follows the same
     * rules.
     */
    @Override
    public TrainerProvenance getProvenance() {
        TrainerProvenanceImpl full = new TrainerProvenanceImpl(this);
        return parsedMethod == null ? full
                : TrainerSettings.applicable(full, parsedMethod, checkpointDir.isEmpty(), imageConverter == null,
                featureBounds.isEmpty(), validationExamples > 0);
    }

    @Override
    public String toString() {
        // natural training has no attack and no λ: naming them would say it used them
        String attack = parsedMethod == TrainingMethod.NATURAL ? ""
                : ", eps=" + epsilon + ", steps=" + attackSteps + ", " + lambdaDescription();
        return "AdversarialTrainer(" + (parsedMethod == null ? method : parsedMethod.id()) + ", " + network
                + attack + ", epochs=" + epochs + ", batch=" + batchSize + ", lr=" + learningRate + ", seed=" + seed
                + ")";
    }

    /**
     * The warning for a WAR ratio run on {@code examples} training examples (validation included) that is no longer
     * than its rule's update interval: every batch would train at λ₀, and the run would look like the fixed-λ one.
     * Null when the rule is not the ratio rule or the run is long enough.
     */
    public String shortWarRunWarning(int examples) {
        if (!(lambdaRule instanceof RatioRule ratio)) {
            return null;
        }
        long batches = (long) epochs * Math.max(1, (examples - validationExamples + batchSize - 1) / batchSize);
        return batches > ratio.interval() ? null : String.format(Locale.ROOT, "the WAR ratio rule updates lambda "
                + "every %d batches, and this run has %d: every batch trains at lambda0 = %s; lower the rule's update "
                + "interval (--war-interval on the command line, interval in a configuration)", ratio.interval(),
                batches, lambda);
    }

    /** λ and its rule, as the run header shows them: the WAR rule's reference and ceiling, or the power law's λ. */
    private String lambdaDescription() {
        if (lambdaRule instanceof RatioRule r) {
            return String.format(Locale.ROOT, "lambda0=%s (WAR ratio rule: rho_ref %.4g, lambda_max %s)", lambda,
                    r.referenceRatio(), r.lambdaMax(lambda));
        }
        if (lambdaRule instanceof PowerRule p && network != null) {
            return String.format(Locale.ROOT, "lambda=%.4g (WAR power rule %s from lambda0 %s)",
                    p.lambda(lambda, network.width()), p, lambda);
        }
        return "lambda=" + lambda;
    }

    /** The settings as a JSON-ready map. */
    public Map<String, Object> settings() {
        requireConfigured();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("network", network.describe());
        m.put("method", parsedMethod.id());
        boolean natural = parsedMethod == TrainingMethod.NATURAL;
        boolean attacks = !natural || validationExamples > 0;
        m.put("epsilon", attacks ? epsilon : null);
        m.put("attack_steps", natural ? null : attackSteps);
        m.put("step_size", attacks ? effectiveStepSize() : null);
        m.put("lambda", natural ? null : lambda);
        m.put("lambda_rule", natural ? null : lambdaRule.settings(lambda));
        m.put("validation_examples", validationExamples);
        m.put("validation_steps", validationSteps);
        m.put("learning_rate_schedule", parsedSchedule.id());
        m.put("nesterov", nesterov);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("learning_rate", learningRate);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("seed", seed);
        m.put("augment", augment);
        m.put("checkpoint_dir", checkpointDir);
        m.put("checkpoint_every", checkpointEvery);
        return m;
    }

    NetworkDescriptor descriptor() {
        return network;
    }

    /** For {@link TrainerSettings#resolveNetwork}: the configured network, family and width. */
    String family() {
        return family;
    }

    double width() {
        return width;
    }

    void resolvedNetwork(NetworkDescriptor d, String effectiveFamily, double effectiveWidth) {
        this.network = d;
        this.family = effectiveFamily;
        this.width = effectiveWidth;
    }

    TrainingMethod method() {
        return parsedMethod;
    }

    double epsilon() {
        return epsilon;
    }

    int attackSteps() {
        return attackSteps;
    }

    double effectiveStepSize() {
        return stepSize == 0 ? epsilon / 4 : stepSize;
    }

    double lambda() {
        return lambda;
    }

    int epochs() {
        return epochs;
    }

    /** The λ rule (never null once configured). */
    public LambdaRule lambdaRule() {
        requireConfigured();
        return lambdaRule;
    }

    int validationExamples() {
        return validationExamples;
    }

    int validationSteps() {
        return validationSteps;
    }

    LearningRateSchedule learningRateSchedule() {
        return parsedSchedule;
    }

    boolean nesterov() {
        return nesterov;
    }

    /** The per-batch log file, or null. */
    Path batchLogFile() {
        return batchLog.isEmpty() ? null : Path.of(batchLog);
    }

    int batchSize() {
        return batchSize;
    }

    double learningRate() {
        return learningRate;
    }

    double momentum() {
        return momentum;
    }

    double weightDecay() {
        return weightDecay;
    }

    /**
     * The seed of the current run: the configured seed for a trainer's first model (invocation 0), and for the n-th
     * a pure function of the seed and n, so that cross-validation folds and ensemble members differ and
     * {@link #setInvocationCount(int) setInvocationCount(n)} reproduces the n-th model (as Tribuo's SGD trainers).
     */
    long seed() {
        return TrainerSettings.invocationSeed(seed, runInvocation);
    }

    /** The declared input domain of the current run (see {@link NetworkModel#inputDomain()}). */
    float[] runDomain() {
        return runDomain == null ? InputDomain.UNIT.clone() : runDomain.clone();
    }

    boolean augment() {
        return augment;
    }

    /**
     * The checkpoint file of the current run, or null when checkpoints are off: {@link Checkpoint#FILE} in the
     * checkpoint directory, unless a fresh run finds that file there already (it belongs to another run, for
     * example the one whose provenance this configuration was regenerated from): then the run checkpoints to its own
     * file and leaves the other run's untouched.
     */
    Path checkpointFile() {
        if (checkpointDir.isEmpty()) {
            return null;
        }
        return runCheckpoint != null ? runCheckpoint : Path.of(checkpointDir).resolve(Checkpoint.FILE);
    }

    /** Test hook: the attack-session plan to use instead of the engine's own (null: by device). */
    void attackSessionPlan(AttackSessions.Plan plan) {
        this.attackSessionPlan = plan;
    }

    AttackSessions.Plan attackSessionPlan() {
        return attackSessionPlan;
    }

    /**
     * Test hook: the parameter-gradient pass to run instead of the configuration's own (null:
     * {@link ParameterPass#of}).
     */
    void parameterPass(ParameterPass pass) {
        this.parameterPass = pass;
    }

    ParameterPass parameterPass() {
        return parameterPass;
    }

    /** Sets who hears about resumes, finished epochs and warnings ({@link TrainingListener#LOGGING} by default). */
    public AdversarialTrainer listener(TrainingListener l) {
        this.listener = l == null ? TrainingListener.LOGGING : l;
        return this;
    }

    TrainingListener listener() {
        return listener;
    }

    /** Test hook: stop (as a kill would) right after writing the checkpoint at this position; -1 for never. */
    void haltAfterCheckpoint(int epoch, int batch) {
        this.haltEpoch = epoch;
        this.haltBatch = batch;
    }

    boolean haltsAt(int epoch, int batch) {
        return epoch == haltEpoch && batch == haltBatch;
    }

    int checkpointEvery() {
        return checkpointEvery;
    }

    boolean progress() {
        return progress;
    }

    /** Fluent construction; {@link #build()} validates. */
    public static final class Builder {
        private final AdversarialTrainer t = new AdversarialTrainer();

        private Builder() {}

        public Builder network(NetworkDescriptor d) { t.network = d; return this; }

        public Builder network(String family, double width) { t.family = family; t.width = width; return this; }

        public Builder method(TrainingMethod m) { t.method = m.id(); return this; }

        public Builder method(String m) { t.method = m; return this; }

        public Builder epsilon(double e) { t.epsilon = e; return this; }

        public Builder attackSteps(int s) { t.attackSteps = s; return this; }

        /** 0 means epsilon/4. */
        public Builder stepSize(double a) { t.stepSize = a; return this; }

        public Builder lambda(double l) { t.lambda = l; return this; }

        public Builder epochs(int e) { t.epochs = e; return this; }

        /** null for fixed. */
        public Builder lambdaRule(LambdaRule r) { t.lambdaRule = r; return this; }

        public Builder validationExamples(int n) { t.validationExamples = n; return this; }

        public Builder validationSteps(int n) { t.validationSteps = n; return this; }

        public Builder learningRateSchedule(String s) { t.learningRateSchedule = s; return this; }

        public Builder nesterov(boolean n) { t.nesterov = n; return this; }

        /** null for no per-batch log. */
        public Builder batchLog(Path file) { t.batchLog = file == null ? "" : file.toString(); return this; }

        public Builder batchSize(int b) { t.batchSize = b; return this; }

        public Builder learningRate(double lr) { t.learningRate = lr; return this; }

        public Builder momentum(double m) { t.momentum = m; return this; }

        public Builder weightDecay(double wd) { t.weightDecay = wd; return this; }

        public Builder seed(long s) { t.seed = s; return this; }

        public Builder augment(boolean a) { t.augment = a; return this; }

        public Builder checkpointDir(Path dir) { t.checkpointDir = dir == null ? "" : dir.toString(); return this; }

        public Builder checkpointEvery(int n) { t.checkpointEvery = n; return this; }

        public Builder progress(boolean p) { t.progress = p; return this; }

        public Builder device(String d) { t.device = d; return this; }

        public Builder threads(int n) { t.threads = n; return this; }

        /** The image layout of a Tribuo dataset's features (null: none). */
        public Builder imageConverter(ImageConverter c) { t.imageConverter = c; return this; }

        /** Bounds LO:HI for named features, overriding the input domain for them. */
        public Builder featureBounds(Map<String, String> bounds) {
            t.featureBounds = new java.util.HashMap<>(bounds);
            return this;
        }

        /** auto, data, unit, none or LO:HI; see the field. */
        public Builder inputDomain(String d) { t.inputDomain = d; return this; }

        /** Validates and returns the trainer. */
        public AdversarialTrainer build() {
            t.postConfig();
            return t;
        }
    }
}
