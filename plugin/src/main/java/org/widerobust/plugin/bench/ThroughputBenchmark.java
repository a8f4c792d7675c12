package org.widerobust.plugin.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.engine.MemoryStats;
import org.widerobust.adapters.network.LossTargets;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.adapters.network.ParameterGradients;
import org.widerobust.adapters.network.ParameterStore;
import org.widerobust.adapters.network.SgdMomentum;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.network.CostReport;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.attack.NetworkTarget;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.attack.ThreatModelMath;

/**
 * Measures the engine on one network family member with Fashion-MNIST-shaped random inputs ({@code [1, 28, 28]},
 * 10 classes):
 * <ul>
 *   <li>{@code forward_examples_per_s}: logits with fixed weights;</li>
 *   <li>{@code input_gradient_examples_per_s}: logits, cross-entropy and its input gradient in one run;</li>
 *   <li>{@code pgd20_eval_examples_per_s}: a PGD-20 evaluation attack (L∞, step ε/8, no random start, no early
 *   stop) on fixed weights;</li>
 *   <li>{@code pgd10_train_step_examples_per_s}: one PGD-10 adversarial-training step: 10 input-gradient passes
 *   (L∞ sign steps of ε/4 projected on the ball and the box, no random start, no final prediction pass, exactly
 *   as the PyTorch peer) + 1 parameter-gradient pass of the mean cross-entropy on the adversarial batch +
 *   an SGD-with-momentum update. The attack runs on a snapshot of the weights compiled once per step (constant
 *   weights let ONNX Runtime use blocked convolutions); the training pass reads the weights zero-copy from the
 *   parameter store.</li>
 * </ul>
 * {@link BenchmarkConfig#workloads()} selects which of them run. The same workloads are implemented for PyTorch
 * in {@code bench/pytorch_peer.py}.
 */
public final class ThroughputBenchmark {
    /** The example shape of the benchmark (Fashion-MNIST). */
    public static final long[] EXAMPLE_SHAPE = {1, 28, 28};
    /** Classes of the benchmark. */
    public static final int CLASSES = 10;
    /**
     * Multiply-adds of one PGD-10 training step per multiply-add of a forward pass: 10 × (forward + input backward)
     * + (forward + input backward + weight backward).
     */
    public static final int TRAIN_STEP_MACS_PER_FORWARD_MAC = 10 * 2 + 3;

    private ThroughputBenchmark() {}

    /**
     * Runs the workloads of {@code cfg} and returns the report as an ordered map (ready for JSON); the keys of
     * workloads not run are absent.
     */
    public static Map<String, Object> run(BenchmarkConfig cfg, Engine engine) {
        NetworkDescriptor descriptor = Families.create(cfg.arch(), cfg.width());
        Network net = descriptor.build(EXAMPLE_SHAPE, CLASSES, cfg.seed(), NetworkDescriptor.Mode.TRAINING);
        CostReport cost = descriptor.cost(EXAMPLE_SHAPE, CLASSES);
        int b = cfg.batch();
        int len = net.exampleLength();
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        float[] x = new float[b * len];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = rng.nextInt(CLASSES);
        }
        float[] logits = new float[b * CLASSES];
        float[] grad = new float[b * len];
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", "widerobust (ONNX Runtime)");
        out.put("arch", cfg.arch());
        out.put("network", descriptor.describe());
        out.put("width", cfg.width());
        out.put("batch", b);
        out.put("device", engine.deviceDescription());
        out.put("parameters", cost.parameters());
        out.put("multiply_adds_per_example", cost.multiplyAdds());
        LossTargets targets = LossTargets.labels(labels);
        if (cfg.runs(Workload.FORWARD) || cfg.runs(Workload.INPUT_GRADIENT) || cfg.runs(Workload.PGD20_EVAL)) {
            try (NetworkSession fixed = new NetworkSession(engine, net)) {
                if (cfg.runs(Workload.FORWARD)) {
                    out.put(Workload.FORWARD.rateKey(),
                            Stopwatch.examplesPerSecond(() -> fixed.logits(x, b, logits), b, cfg.seconds(), 3));
                }
                if (cfg.runs(Workload.INPUT_GRADIENT)) {
                    out.put(Workload.INPUT_GRADIENT.rateKey(), Stopwatch.examplesPerSecond(
                            () -> fixed.lossGradient("ce", x, b, targets, grad, null, logits), b, cfg.seconds(), 3));
                }
                if (cfg.runs(Workload.PGD20_EVAL)) {
                    Attack pgd20 = Attacks.create("pgd", new AttackOptions(cfg.epsilon(), Norm.LINF, 20,
                            cfg.epsilon() / 8, 1, false, false));
                    NetworkTarget target = new NetworkTarget(fixed);
                    out.put(Workload.PGD20_EVAL.rateKey(), Stopwatch.examplesPerSecond(
                            () -> pgd20.attack(target, x, labels, b, cfg.seed()), b, cfg.seconds(), 1));
                }
            }
        }
        if (cfg.runs(Workload.PGD10_TRAIN_STEP)) {
            trainStep(cfg, engine, net, cost, x, labels, targets, out);
        }
        out.put("peak_rss_bytes", MemoryStats.peakResidentBytes());
        return out;
    }

    /** The PGD-10 training step: adds its examples/s and GFLOP/s to {@code out}. */
    private static void trainStep(BenchmarkConfig cfg, Engine engine, Network net, CostReport cost, float[] x,
                                  int[] labels, LossTargets targets, Map<String, Object> out) {
        int b = cfg.batch();
        int len = net.exampleLength();
        ParameterStore store = new ParameterStore(net);
        try (ParameterGradients training = new ParameterGradients(engine, store, new CrossEntropyLoss(),
                Reduction.MEAN)) {
            SgdMomentum sgd = new SgdMomentum(store, 0.9, 0);
            float[] adv = new float[x.length];
            float[] stepGrad = new float[x.length];
            Runnable step = () -> {
                System.arraycopy(x, 0, adv, 0, x.length);
                try (NetworkSession snapshot = NetworkSession.snapshot(engine, store)) {
                    for (int t = 0; t < 10; t++) {
                        snapshot.lossGradient("ce", adv, b, targets, stepGrad, null, null);
                        ThreatModelMath.ascentStep(adv, stepGrad, b, len, Norm.LINF, cfg.epsilon() / 4);
                        ThreatModelMath.project(adv, x, b, len, Norm.LINF, cfg.epsilon(), net.inputBounds());
                    }
                }
                training.compute(adv, b, labels, 0f);
                sgd.step(training, 0.01);
            };
            double trainRate = Stopwatch.examplesPerSecond(step, b, cfg.seconds(), 1);
            out.put(Workload.PGD10_TRAIN_STEP.rateKey(), trainRate);
            double gflops = trainRate * TRAIN_STEP_MACS_PER_FORWARD_MAC * 2.0 * cost.multiplyAdds() / 1e9;
            out.put("pgd10_train_step_gflop_per_s", gflops);
        }
    }
}
