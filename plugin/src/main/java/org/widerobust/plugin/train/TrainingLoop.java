package org.widerobust.plugin.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.widerobust.plugin.attack.Scores;
import org.widerobust.adapters.data.Augmentation;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.adapters.network.ParameterGradients;
import org.widerobust.adapters.network.SgdMomentum;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.loss.LossHead;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.loss.TradesLoss;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackResult;
import org.widerobust.plugin.attack.NetworkTarget;
import org.widerobust.plugin.attack.Pgd;

/**
 * One training run of an {@link AdversarialTrainer}: epochs of shuffled mini-batches; per batch the adversarial
 * examples (inference semantics, on the sessions of {@link AttackSessions}), the parameter gradients of the method's loss, an SGD step, the
 * batch-norm running statistics, progress, and checkpoints.
 * <p>
 * Differences from the PyTorch reference code, by design: the attacks run with inference semantics (running
 * statistics, as TRADES' {@code model.eval()} during the inner maximisation); TRADES' clean and adversarial halves go
 * through the network as one doubled batch, so batch-norm layers normalise them with joint statistics and the running
 * statistics are updated once per step from that doubled batch (PyTorch's two forward passes update them twice).
 * Random numbers (shuffling, augmentation, attack starts) are pure functions of the seed, the epoch and the batch.
 */
final class TrainingLoop {
    private static final long SHUFFLE = 0x5348554646L;
    private static final long AUGMENT = 0x4155474dL;
    private static final long ATTACK = 0x41545443L;

    /** Thrown by the test hook {@link AdversarialTrainer#haltAfterCheckpoint}. */
    static final class Halted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Halted() {
            super("halted after a checkpoint");
        }
    }

    /** What the run produced. */
    record Outcome(Network network, List<EpochSummary> history, long examples, String resumedFrom,
                   List<TrainingLeg> legs) {}

    private final AdversarialTrainer cfg;
    private final DenseDataset data;
    private final Engine engine;

    TrainingLoop(AdversarialTrainer cfg, DenseDataset data, Engine engine) {
        this.cfg = cfg;
        this.data = data;
        this.engine = engine;
    }

    Outcome run(boolean resume) {
        LiveWeights weights = new LiveWeights(cfg.descriptor(), data.exampleShape(), data.numClasses(), cfg.seed(),
                cfg.runDomain());
        Augmentation aug = cfg.augment() && data.exampleShape().length == 3
                ? Augmentation.cifarStandard(data.exampleShape()) : null;
        long[] perExample = RunningStatistics.valuesPerExample(weights.training());
        LossHead head = cfg.method() == TrainingMethod.TRADES ? new TradesLoss() : new CrossEntropyLoss();
        SgdMomentum sgd = new SgdMomentum(weights.trainStore(), cfg.momentum(), cfg.weightDecay());
        Path ckpt = cfg.checkpointFile();
        String fingerprint = cfg.fingerprint(data);
        List<String> params = weights.trainStore().names();
        Checkpoint.Position pos = Checkpoint.Position.start();
        String resumedFrom = null;
        if (resume) {
            pos = Checkpoint.read(ckpt, fingerprint, weights.stateTensors(), sgd, params);
            weights.syncParameters();
            resumedFrom = ckpt.toString();
            cfg.listener().resumed(ckpt, pos);
        }
        Leg leg = new Leg(pos, engine.deviceDescription());
        DivergenceGuard guard = new DivergenceGuard(cfg.listener());
        java.util.Map<String, java.nio.FloatBuffer> velocities = DivergenceGuard.velocities(sgd, params);
        Attack pgd = cfg.method() == TrainingMethod.PGD
                ? Pgd.adversarialTraining(cfg.epsilon(), cfg.attackSteps(), cfg.effectiveStepSize()) : null;
        String lastGood = resume ? resumedFrom : null;
        long trained = 0;
        List<EpochSummary> history = new ArrayList<>(pos.history());
        AttackSessions.Plan plan = cfg.attackSessionPlan() != null ? cfg.attackSessionPlan()
                : AttackSessions.Plan.forEngine(engine);
        try (ParameterGradients grads = new ParameterGradients(engine, weights.trainStore(), head, Reduction.MEAN);
             AttackSessions attackSessions = new AttackSessions(plan, engine, weights.evalStore())) {
            int len = data.exampleLength();
            int k = data.numClasses();
            for (int epoch = pos.epoch(); epoch < cfg.epochs(); epoch++) {
                boolean continuing = epoch == pos.epoch();
                int firstBatch = continuing ? pos.batch() : 0;
                double lossSum = continuing ? pos.lossSum() : 0;
                long clean = continuing ? pos.cleanCorrect() : 0;
                long adv = continuing ? pos.advCorrect() : 0;
                long seen = continuing ? pos.seen() : 0;
                double priorSeconds = continuing ? pos.epochSeconds() : 0;
                long epochStart = System.nanoTime();
                double lr = LearningRateSchedule.rate(cfg.learningRate(), epoch, cfg.epochs());
                List<int[]> batches = data.epochBatches(cfg.batchSize(), derive(SHUFFLE, epoch, 0), false);
                try (TrainingProgress bar = new TrainingProgress(cfg.progress(), epoch, cfg.epochs(), data.size(),
                        seen)) {
                    for (int b = firstBatch; b < batches.size(); b++) {
                        int[] idx = batches.get(b);
                        int n = idx.length;
                        float[] x = new float[n * len];
                        data.copyBatch(idx, x);
                        int[] labels = data.labels(idx);
                        if (aug != null) {
                            aug.apply(x, n, derive(AUGMENT, epoch, b));
                        }
                        float[] input;
                        int rows = n;
                        // The weights are fixed until this batch's update: on the CPU the attack runs on a snapshot
                        // with constant weights, on CUDA on the run's live-weights session (AttackSessions).
                        NetworkSession eval = attackSessions.beginStep();
                        try {
                            NetworkTarget target = new NetworkTarget(eval);
                            float[] z = new float[n * k];
                            eval.logits(x, n, z);
                            DivergenceGuard.requireFinite(z, n * k, "the logits", epoch, b, lastGood);
                            clean += hits(z, labels, n, k);
                            switch (cfg.method()) {
                                case NATURAL -> input = x;
                                case PGD -> {
                                    AttackResult r = pgd.attack(target, x, labels, n, derive(ATTACK, epoch, b));
                                    input = r.adversarial();
                                    adv += r.robustCount(labels);
                                }
                                case TRADES -> {
                                    float[] probs = Scores.softmax(z, n, k);
                                    float[] xa = TradesPerturbation.perturb(eval, x, n, probs, cfg.epsilon(),
                                            cfg.attackSteps(), cfg.effectiveStepSize(), derive(ATTACK, epoch, b));
                                    float[] za = new float[n * k];
                                    eval.logits(xa, n, za);
                                    adv += hits(za, labels, n, k);
                                    input = new float[2 * n * len];
                                    System.arraycopy(x, 0, input, 0, n * len);
                                    System.arraycopy(xa, 0, input, n * len, n * len);
                                    rows = 2 * n;
                                }
                                default -> throw new AssertionError(cfg.method());
                            }
                        } finally {
                            attackSessions.endStep();
                        }
                        DivergenceGuard.requireFinite(input, rows * len, "the training inputs", epoch, b, lastGood);
                        float loss = grads.compute(input, rows, labels, (float) cfg.lambda());
                        guard.checkLoss(loss, epoch, b, lastGood);
                        sgd.step(grads, lr);
                        updateRunningStatistics(weights, grads, perExample, rows);
                        weights.syncParameters();
                        DivergenceGuard.requireFinite(weights.stateTensors(), "weight", epoch, b, lastGood);
                        DivergenceGuard.requireFinite(velocities, "the momentum of", epoch, b, lastGood);
                        lossSum += (double) loss * n;
                        seen += n;
                        trained += n;
                        double secs = priorSeconds + (System.nanoTime() - epochStart) / 1e9;
                        bar.update(seen, lossSum / seen, clean / (double) seen,
                                cfg.method() == TrainingMethod.NATURAL ? Double.NaN : adv / (double) seen,
                                seen / Math.max(secs, 1e-9));
                        boolean lastBatch = b == batches.size() - 1;
                        if (ckpt != null && !lastBatch && cfg.checkpointEvery() > 0
                                && (b + 1) % cfg.checkpointEvery() == 0) {
                            Checkpoint.write(ckpt, fingerprint, new Checkpoint.Position(epoch, b + 1, lossSum, clean,
                                    adv, seen, secs, history, leg.legs(trained)), weights.stateTensors(), sgd, params);
                            lastGood = ckpt.toString();
                            if (cfg.haltsAt(epoch, b + 1)) {
                                throw new Halted();
                            }
                        }
                    }
                }
                double secs = priorSeconds + (System.nanoTime() - epochStart) / 1e9;
                history.add(new EpochSummary(epoch + 1, lr, lossSum / Math.max(seen, 1),
                        clean / (double) Math.max(seen, 1),
                        cfg.method() == TrainingMethod.NATURAL ? Double.NaN : adv / (double) Math.max(seen, 1),
                        seen, secs));
                if (ckpt != null) {
                    Checkpoint.write(ckpt, fingerprint, new Checkpoint.Position(epoch + 1, 0, 0, 0, 0, 0, 0,
                            history, leg.legs(trained)), weights.stateTensors(), sgd, params);
                    lastGood = ckpt.toString();
                }
                cfg.listener().epochFinished(history.get(history.size() - 1));
                if (ckpt != null && cfg.haltsAt(epoch + 1, 0)) {
                    throw new Halted();
                }
            }
        }
        return new Outcome(weights.export(), history, trained, resumedFrom, leg.legs(trained));
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
