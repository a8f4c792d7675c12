package org.widerobust.plugin.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.widerobust.plugin.attack.Scores;
import org.widerobust.adapters.data.Augmentation;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.adapters.network.ParameterGradients;
import org.widerobust.adapters.network.SgdMomentum;
import org.widerobust.descriptors.loss.LossHead;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.loss.RegularizedObjective;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.attack.AbstractAttack;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackResult;
import org.widerobust.plugin.attack.NetworkTarget;
import org.widerobust.plugin.attack.Pgd;
import org.widerobust.plugin.train.war.LambdaController;

/**
 * One training run of an {@link AdversarialTrainer}: epochs of shuffled mini-batches; per batch the adversarial
 * examples (inference semantics, on the sessions of {@link AttackSessions}), λ from the λ rule, the parameter gradients of the method's objective
 * with its natural risk and robust regularisation, an SGD step, the batch-norm running statistics, the local
 * Lipschitz proxy, progress, the per-batch log and checkpoints; per epoch the validation measurements and the best
 * model so far.
 * <p>
 * Differences from the PyTorch reference code, by design: the attacks run with inference semantics (running
 * statistics, as TRADES' {@code model.eval()} during the inner maximisation); the clean and adversarial halves of the
 * λ-form objectives (TRADES and λ-form PGD) go through the network as one doubled batch, so batch-norm layers
 * normalise them with joint statistics and the running statistics are updated once per step from that doubled batch
 * (PyTorch's two forward passes update them twice). PGD at a fixed λ = 1 on a network without batch norm, whose
 * clean half has no gradient, runs its parameter pass on x' alone ({@link ParameterPass}). Random numbers
 * (validation split, shuffling, augmentation, attack starts) are pure functions of the seed, the epoch and the batch.
 */
final class TrainingLoop {
    private static final long SHUFFLE = 0x5348554646L;
    private static final long AUGMENT = 0x4155474dL;
    private static final long ATTACK = 0x41545443L;
    private static final long VALIDATION = 0x56414cL;
    private static final String BEST = "best/";
    /** Loop state beyond {@link Checkpoint.Position}: 4 epoch sums, best epoch and accuracy, then the rule's state. */
    private static final int SUMS = 6;

    /** Thrown by the test hook {@link AdversarialTrainer#haltAfterCheckpoint}. */
    static final class Halted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Halted() {
            super("halted after a checkpoint");
        }
    }

    /**
     * What the run produced.
     *
     * @param best      the weights of the epoch with the highest validation robust accuracy (null without validation)
     * @param bestEpoch that epoch (from 1; 0 without validation)
     * @param pass      the parameter-gradient pass that ran
     */
    record Outcome(Network network, Network best, int bestEpoch, List<EpochSummary> history, long examples,
                   String resumedFrom, int validationExamples, List<TrainingLeg> legs, ParameterPass pass) {}

    private final AdversarialTrainer cfg;
    private final DenseDataset data;
    private final Engine engine;

    TrainingLoop(AdversarialTrainer cfg, DenseDataset data, Engine engine) {
        this.cfg = cfg;
        this.data = data;
        this.engine = engine;
    }

    /** The training and validation parts of the data (validation null without {@code validationExamples}). */
    private DenseDataset[] split() {
        int nv = cfg.validationExamples();
        if (nv == 0) {
            return new DenseDataset[] {data, null};
        }
        if (nv >= data.size()) {
            throw new IllegalArgumentException("cannot hold out " + nv + " validation examples from "
                    + data.size() + " training examples");
        }
        int[] order = data.shuffledOrder(derive(VALIDATION, 0, 0));
        int[] val = Arrays.copyOf(order, nv);
        int[] rest = Arrays.copyOfRange(order, nv, order.length);
        Arrays.sort(val);
        Arrays.sort(rest);
        return new DenseDataset[] {data.subset(rest, "training part"), data.subset(val, "validation part")};
    }

    Outcome run(boolean resume) {
        DenseDataset[] parts = split();
        DenseDataset train = parts[0];
        DenseDataset val = parts[1];
        LiveWeights weights = new LiveWeights(cfg.descriptor(), train.exampleShape(), train.numClasses(), cfg.seed(),
                cfg.runDomain());
        Augmentation aug = cfg.augment() && train.exampleShape().length == 3
                ? Augmentation.cifarStandard(train.exampleShape()) : null;
        long[] perExample = RunningStatistics.valuesPerExample(weights.training());
        TrainingMethod method = cfg.method();
        ParameterPass pass = cfg.parameterPass() != null ? cfg.parameterPass()
                : ParameterPass.of(method, cfg.lambdaRule(), cfg.lambda(), weights.training());
        LossHead head = pass.head(method);
        boolean regularized = method != TrainingMethod.NATURAL;
        SgdMomentum sgd = new SgdMomentum(weights.trainStore(), cfg.momentum(), cfg.weightDecay(), cfg.nesterov());
        LambdaController rule = cfg.lambdaRule().start(cfg.lambda(), cfg.descriptor().width());
        Path ckpt = cfg.checkpointFile();
        String fingerprint = cfg.fingerprint(data);
        List<String> params = weights.trainStore().names();
        Map<String, FloatBuffer> live = weights.stateTensors();
        Map<String, FloatBuffer> best = new LinkedHashMap<>();
        Map<String, FloatBuffer> tensors = new LinkedHashMap<>(live);
        if (val != null) {
            for (var e : live.entrySet()) {
                FloatBuffer b = ByteBuffer.allocateDirect(e.getValue().capacity() * Float.BYTES)
                        .order(ByteOrder.nativeOrder()).asFloatBuffer();
                best.put(e.getKey(), b);
                tensors.put(BEST + e.getKey(), b);
            }
        }
        Checkpoint.Position pos = Checkpoint.Position.start();
        double[] loopState = new double[SUMS + rule.state().length];
        loopState[5] = -1;
        String resumedFrom = null;
        if (resume) {
            pos = Checkpoint.read(ckpt, fingerprint, tensors, sgd, params);
            weights.syncParameters();
            resumedFrom = ckpt.toString();
            if (pos.loopState().length != 0) { // a version-1 checkpoint has none: the loop state starts afresh
                if (pos.loopState().length != loopState.length) {
                    throw new CheckpointException("checkpoint " + ckpt + " holds " + pos.loopState().length
                            + " loop-state values, expected " + loopState.length);
                }
                loopState = pos.loopState();
                rule.restore(Arrays.copyOfRange(loopState, SUMS, loopState.length));
            }
            cfg.listener().resumed(ckpt, pos);
        }
        Leg leg = new Leg(pos, engine.deviceDescription());
        DivergenceGuard guard = new DivergenceGuard(cfg.listener());
        Map<String, FloatBuffer> velocities = DivergenceGuard.velocities(sgd, params);
        int bestEpoch = (int) loopState[4];
        double bestAccuracy = loopState[5];
        Attack pgd = null;
        if (method == TrainingMethod.PGD) {
            pgd = Pgd.adversarialTraining(cfg.epsilon(), cfg.attackSteps(), cfg.effectiveStepSize());
            if (pgd instanceof AbstractAttack a && a.batchSize() < cfg.batchSize()) {
                a.withBatchSize(cfg.batchSize()); // one chunk per batch, so the gradient recorder sees every row
            }
        }
        Attack valAttack = val == null ? null : Pgd.classic(cfg.epsilon(), cfg.validationSteps(),
                cfg.effectiveStepSize());
        String lastGood = resume ? resumedFrom : null;
        long trained = 0;
        List<EpochSummary> history = new ArrayList<>(pos.history());
        Path logFile = cfg.batchLogFile();
        AttackSessions.Plan plan = cfg.attackSessionPlan() != null ? cfg.attackSessionPlan()
                : AttackSessions.Plan.forEngine(engine, weights.evalStore().network());
        try (ParameterGradients grads = new ParameterGradients(engine, weights.trainStore(), head, Reduction.MEAN);
             AttackSessions attackSessions = new AttackSessions(plan, engine, weights.evalStore());
             BatchLog log = logFile == null ? null : new BatchLog(logFile, resume ? pos.epoch() : -1, pos.batch())) {
            int len = train.exampleLength();
            int k = train.numClasses();
            for (int epoch = pos.epoch(); epoch < cfg.epochs(); epoch++) {
                boolean continuing = epoch == pos.epoch();
                int firstBatch = continuing ? pos.batch() : 0;
                double lossSum = continuing ? pos.lossSum() : 0;
                long clean = continuing ? pos.cleanCorrect() : 0;
                long adv = continuing ? pos.advCorrect() : 0;
                long seen = continuing ? pos.seen() : 0;
                double natSum = continuing ? loopState[0] : 0;
                double robSum = continuing ? loopState[1] : 0;
                double lambdaSum = continuing ? loopState[2] : 0;
                double lipSum = continuing ? loopState[3] : 0;
                double priorSeconds = continuing ? pos.epochSeconds() : 0;
                long epochStart = System.nanoTime();
                double lr = cfg.learningRateSchedule().at(cfg.learningRate(), epoch, cfg.epochs());
                List<int[]> batches = train.epochBatches(cfg.batchSize(), derive(SHUFFLE, epoch, 0), false);
                try (TrainingProgress bar = new TrainingProgress(cfg.progress(), epoch, cfg.epochs(), train.size(),
                        seen)) {
                    for (int b = firstBatch; b < batches.size(); b++) {
                        int[] idx = batches.get(b);
                        int n = idx.length;
                        float[] x = new float[n * len];
                        train.copyBatch(idx, x);
                        int[] labels = train.labels(idx);
                        if (aug != null) {
                            aug.apply(x, n, derive(AUGMENT, epoch, b));
                        }
                        float[] xa;
                        float[] gradNorm = new float[n];
                        float[] z = new float[n * k];
                        // The weights are fixed until this batch's update: a convnet's attack on the CPU runs on a
                        // snapshot with constant weights, otherwise on the run's live-weights session
                        // (AttackSessions).
                        NetworkSession eval = attackSessions.beginStep();
                        try {
                            NetworkTarget target = new NetworkTarget(eval);
                            eval.logits(x, n, z);
                            DivergenceGuard.requireFinite(z, n * k, "the logits", epoch, b, lastGood);
                            clean += hits(z, labels, n, k);
                            switch (method) {
                                case NATURAL -> xa = null;
                                case PGD -> {
                                    GradientNormRecorder rec = new GradientNormRecorder(target, n);
                                    AttackResult r = pgd.attack(rec, x, labels, n, derive(ATTACK, epoch, b));
                                    xa = r.adversarial();
                                    gradNorm = rec.maxima();
                                    adv += r.robustCount(labels);
                                }
                                case TRADES -> {
                                    float[] probs = Scores.softmax(z, n, k);
                                    xa = TradesPerturbation.perturb(eval, x, n, probs, cfg.epsilon(),
                                            cfg.attackSteps(), cfg.effectiveStepSize(), derive(ATTACK, epoch, b),
                                            gradNorm);
                                    float[] za = new float[n * k];
                                    eval.logits(xa, n, za);
                                    adv += hits(za, labels, n, k);
                                }
                                default -> throw new AssertionError(method);
                            }
                        } finally {
                            attackSessions.endStep();
                        }
                        float[] input = x;
                        int rows = n;
                        if (pass == ParameterPass.ADVERSARIAL) {
                            input = xa;
                        } else if (xa != null) {
                            input = new float[2 * n * len];
                            System.arraycopy(x, 0, input, 0, n * len);
                            System.arraycopy(xa, 0, input, n * len, n * len);
                            rows = 2 * n;
                        }
                        double lambda = regularized ? rule.lambda() : Double.NaN;
                        DivergenceGuard.requireFinite(input, rows * len, "the training inputs", epoch, b, lastGood);
                        float loss = grads.compute(input, rows, labels, (float) lambda);
                        guard.checkLoss(loss, epoch, b, lastGood);
                        double rNat;
                        double rRob;
                        if (pass == ParameterPass.ADVERSARIAL) { // loss = CE(x'); R_nat from the clean logits
                            rNat = Scores.meanCrossEntropy(z, labels, n, k);
                            rRob = loss - rNat;
                        } else {
                            rNat = regularized ? grads.part(RegularizedObjective.NATURAL_RISK) : loss;
                            rRob = regularized ? grads.part(RegularizedObjective.ROBUST_REGULARIZATION) : Double.NaN;
                        }
                        if (regularized) {
                            rule.observe(rNat, rRob);
                        }
                        double lip = regularized ? LipschitzProxy.batchMean(gradNorm) : Double.NaN;
                        sgd.step(grads, lr);
                        updateRunningStatistics(weights, grads, perExample, rows);
                        weights.syncParameters();
                        DivergenceGuard.requireFinite(live, "weight", epoch, b, lastGood);
                        DivergenceGuard.requireFinite(velocities, "the momentum of", epoch, b, lastGood);
                        lossSum += (double) loss * n;
                        natSum += rNat * n;
                        robSum += regularized ? rRob * n : 0;
                        lambdaSum += regularized ? lambda * n : 0;
                        lipSum += regularized ? lip * n : 0;
                        seen += n;
                        trained += n;
                        if (log != null) {
                            Map<String, Object> rec = new LinkedHashMap<>();
                            rec.put("epoch", epoch + 1);
                            rec.put("epochs", cfg.epochs());
                            rec.put("batch", b + 1);
                            rec.put("batches", batches.size());
                            rec.put("lambda", lambda);
                            rec.put("ratio", regularized ? rule.ratio() : Double.NaN);
                            rec.put("natural_risk", rNat);
                            rec.put("robust_regularization", rRob);
                            rec.put("loss", (double) loss);
                            rec.put("local_lipschitz", lip);
                            log.append(rec);
                        }
                        double secs = priorSeconds + (System.nanoTime() - epochStart) / 1e9;
                        bar.update(seen, lossSum / seen, clean / (double) seen,
                                method == TrainingMethod.NATURAL ? Double.NaN : adv / (double) seen,
                                seen / Math.max(secs, 1e-9), lambda);
                        boolean lastBatch = b == batches.size() - 1;
                        if (ckpt != null && !lastBatch && cfg.checkpointEvery() > 0
                                && (b + 1) % cfg.checkpointEvery() == 0) {
                            if (log != null) {
                                log.flush();
                            }
                            double[] ls = loopState(new double[] {natSum, robSum, lambdaSum, lipSum}, bestEpoch,
                                    bestAccuracy, rule);
                            Checkpoint.write(ckpt, fingerprint, new Checkpoint.Position(epoch, b + 1, lossSum, clean,
                                    adv, seen, secs, history, ls, leg.legs(trained)), tensors, sgd, params);
                            lastGood = ckpt.toString();
                            if (cfg.haltsAt(epoch, b + 1)) {
                                throw new Halted();
                            }
                        }
                    }
                }
                double secs = priorSeconds + (System.nanoTime() - epochStart) / 1e9;
                Validation v = null;
                if (val != null) {
                    cfg.listener().validationStarted(epoch + 1, val.size(), valAttack.name());
                    try (NetworkSession eval = NetworkSession.snapshot(engine, weights.evalStore())) {
                        v = Validation.measure(new NetworkTarget(eval), val, valAttack, derive(VALIDATION, epoch, 1));
                    }
                    if (v.robustAccuracy() > bestAccuracy) {
                        bestAccuracy = v.robustAccuracy();
                        bestEpoch = epoch + 1;
                        for (var e : live.entrySet()) {
                            best.get(e.getKey()).clear().put(e.getValue().duplicate().clear()).clear();
                        }
                    }
                }
                double m = Math.max(seen, 1);
                history.add(new EpochSummary(epoch + 1, lr, lossSum / m, clean / m,
                        method == TrainingMethod.NATURAL ? Double.NaN : adv / m, seen, secs, natSum / m,
                        regularized ? robSum / m : Double.NaN, regularized ? rule.lambda() : Double.NaN,
                        regularized ? lambdaSum / m : Double.NaN, regularized ? rule.ratio() : Double.NaN,
                        regularized ? lipSum / m : Double.NaN, v == null ? Double.NaN : v.naturalAccuracy(),
                        v == null ? Double.NaN : v.robustAccuracy(), v == null ? Double.NaN : v.stability()));
                if (log != null) {
                    log.flush();
                }
                if (ckpt != null) {
                    Checkpoint.write(ckpt, fingerprint, new Checkpoint.Position(epoch + 1, 0, 0, 0, 0, 0, 0,
                            history, loopState(new double[4], bestEpoch, bestAccuracy, rule), leg.legs(trained)),
                            tensors, sgd, params);
                    lastGood = ckpt.toString();
                }
                cfg.listener().epochFinished(history.get(history.size() - 1));
                if (ckpt != null && cfg.haltsAt(epoch + 1, 0)) {
                    throw new Halted();
                }
            }
        }
        Network last = weights.export();
        Network bestNet = null;
        if (val != null && bestEpoch > 0) {
            for (var e : live.entrySet()) {
                e.getValue().duplicate().clear().put(best.get(e.getKey()).duplicate().clear());
            }
            bestNet = weights.export();
        }
        return new Outcome(last, bestNet, bestEpoch, history, trained, resumedFrom, val == null ? 0 : val.size(),
                leg.legs(trained), pass);
    }

    /** This process's leg of the run, after the legs the checkpoint carries. */
    private static final class Leg {
        private final List<TrainingLeg> earlier;
        private final String startedAt = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        private final long startNanos = System.nanoTime();
        private final String device;
        private final int fromEpoch;
        private final int fromBatch;

        Leg(Checkpoint.Position from, String device) {
            this.earlier = from.legs();
            this.device = device;
            this.fromEpoch = from.epoch() + 1;
            this.fromBatch = from.batch() + 1;
        }

        /** The earlier legs and this one, having trained on {@code examples} so far. */
        List<TrainingLeg> legs(long examples) {
            List<TrainingLeg> all = new ArrayList<>(earlier);
            all.add(new TrainingLeg(earlier.size() + 1, startedAt, device, fromEpoch, fromBatch, examples,
                    (System.nanoTime() - startNanos) / 1e9));
            return all;
        }
    }

    private static double[] loopState(double[] sums, int bestEpoch, double bestAccuracy, LambdaController rule) {
        double[] r = rule.state();
        double[] out = new double[SUMS + r.length];
        System.arraycopy(sums, 0, out, 0, 4);
        out[4] = bestEpoch;
        out[5] = bestAccuracy;
        System.arraycopy(r, 0, out, SUMS, r.length);
        return out;
    }

    private static void updateRunningStatistics(LiveWeights weights, ParameterGradients grads, long[] perExample,
                                                int rows) {
        List<Network.BatchNormStatistics> bns = weights.training().batchNorms();
        for (int i = 0; i < bns.size(); i++) {
            Network.BatchNormStatistics bn = bns.get(i);
            RunningStatistics.update(weights.runningStatistic(bn.runningMean()),
                    weights.runningStatistic(bn.runningVar()), grads.output(bn.batchMean()),
                    grads.output(bn.batchVar()), (long) rows * perExample[i], RunningStatistics.MOMENTUM);
        }
    }

    private static int hits(float[] z, int[] labels, int n, int k) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (Scores.argmax(z, i, k) == labels[i]) {
                c++;
            }
        }
        return c;
    }

    /** A seed for one purpose at one position, a pure function of the configured seed. */
    private long derive(long purpose, int epoch, int batch) {
        long h = cfg.seed() ^ purpose * 0x9E3779B97F4A7C15L;
        h = mix(h + 0xBF58476D1CE4E5B9L * (epoch + 1L));
        h = mix(h + 0x94D049BB133111EBL * (batch + 1L));
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
