package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor;

/**
 * The attack-session plan is chosen by device and network (docs/gpu.md): a constant-weight snapshot per step for a
 * convnet on the CPU, one live-weights session per run on CUDA and for networks without convolutions. Counted here on the CPU by the sessions each plan creates, and checked to
 * train the same network.
 */
class AttackSessionsTest extends CpuEngineTest {
    /** A TRADES run on a batch-norm network (live running statistics must reach the live session). */
    private static AdversarialTrainer trades(int epochs, AttackSessions.Plan plan) {
        AdversarialTrainer t = TrainData.base().network("wrn-10", 0.5).method("trades").attackSteps(2)
                .stepSize(0.03).epochs(epochs).batchSize(40).build();
        t.attackSessionPlan(plan);
        return t;
    }

    private static DenseDataset data() {
        return TrainData.train().first(160);
    }

    private static long sessionsFor(AdversarialTrainer t) {
        long before = engine.sessionsCreated();
        t.trainDense(data(), engine, false);
        return engine.sessionsCreated() - before;
    }

    private static Network net(String family, long[] shape) {
        return Families.create(family, 1).build(shape, 10, 1, NetworkDescriptor.Mode.INFERENCE);
    }

    @Test
    void planFollowsTheDeviceAndTheNetwork() {
        assertEquals(AttackSessions.Plan.LIVE_WEIGHTS, AttackSessions.Plan.forDevice(true, true));
        assertEquals(AttackSessions.Plan.LIVE_WEIGHTS, AttackSessions.Plan.forDevice(true, false));
        assertEquals(AttackSessions.Plan.SNAPSHOT_PER_STEP, AttackSessions.Plan.forDevice(false, true));
        assertEquals(AttackSessions.Plan.LIVE_WEIGHTS, AttackSessions.Plan.forDevice(false, false));
        assertEquals(AttackSessions.Plan.SNAPSHOT_PER_STEP, AttackSessions.Plan.forEngine(engine,
                net("smallcnn", new long[] {1, 28, 28})), "a CPU engine attacks a convnet on per-step snapshots");
        assertEquals(AttackSessions.Plan.SNAPSHOT_PER_STEP, AttackSessions.Plan.forEngine(engine,
                net("wrn-10", new long[] {3, 32, 32})));
        assertEquals(AttackSessions.Plan.LIVE_WEIGHTS, AttackSessions.Plan.forEngine(engine,
                net("mlp", new long[] {1, 28, 28})), "an MLP has no blocked layout to gain from constant weights");
    }

    @Test
    void cudaPlanCreatesNoSessionPerStep() {
        long oneEpoch = sessionsFor(trades(1, AttackSessions.Plan.LIVE_WEIGHTS));
        long twoEpochs = sessionsFor(trades(2, AttackSessions.Plan.LIVE_WEIGHTS));
        assertEquals(oneEpoch, twoEpochs, "4 more steps must create no more sessions on the live-weights plan");
        // the parameter-gradient graph, the live forward graph and the KL input-gradient graph
        assertEquals(3, oneEpoch);
    }

    @Test
    void cpuPlanCreatesOneSnapshotPerStep() {
        long oneEpoch = sessionsFor(trades(1, AttackSessions.Plan.SNAPSHOT_PER_STEP));
        long twoEpochs = sessionsFor(trades(2, AttackSessions.Plan.SNAPSHOT_PER_STEP));
        // each of the 4 extra steps compiles a snapshot's forward graph and its KL input-gradient graph
        assertEquals(2 * 4, twoEpochs - oneEpoch);
    }

    @Test
    void bothPlansAttackTheSameWeightsAlike() {
        DenseDataset d = data();
        int n = 40;
        int k = d.numClasses();
        float[] x = java.util.Arrays.copyOf(d.data(), n * d.exampleLength());
        LiveWeights weights = new LiveWeights(org.widerobust.descriptors.network.Families.create("wrn-10", 0.5),
                d.exampleShape(), k, 3, org.widerobust.plugin.model.InputDomain.UNIT);
        // running statistics away from their initial 0/1, so that reading them live is exercised
        for (var bn : weights.training().batchNorms()) {
            java.nio.FloatBuffer mean = weights.runningStatistic(bn.runningMean());
            java.nio.FloatBuffer var = weights.runningStatistic(bn.runningVar());
            for (int i = 0; i < mean.capacity(); i++) {
                mean.put(i, 0.01f * (i % 7));
                var.put(i, 1.5f + 0.1f * (i % 5));
            }
        }
        float[][] logits = new float[2][n * k];
        float[][] grads = new float[2][n * d.exampleLength()];
        AttackSessions.Plan[] plans = AttackSessions.Plan.values();
        for (int p = 0; p < plans.length; p++) {
            try (AttackSessions sessions = new AttackSessions(plans[p], engine, weights.evalStore())) {
                var session = sessions.beginStep();
                session.logits(x, n, logits[p]);
                float[] target = org.widerobust.plugin.attack.Scores.softmax(logits[p], n, k);
                float[] xs = x.clone();
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = Math.min(1f, xs[i] + 0.02f);
                }
                session.lossGradient("kl", xs, n,
                        new org.widerobust.adapters.network.LossTargets(null, target, null, null), grads[p], null,
                        null);
                sessions.endStep();
            }
        }
        assertClose(logits[1], logits[0], "logits");
        assertClose(grads[1], grads[0], "KL input gradients");
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        // blocked (constant-weight) and plain convolutions differ only in float rounding
        assertTrue(scale > 0 && worst <= 1e-4 * scale, what + " of the two plans differ by " + worst
                + " (largest magnitude " + scale + ")");
    }
}
