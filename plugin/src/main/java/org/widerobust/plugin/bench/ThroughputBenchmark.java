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
import org.widerobust.descriptors.loss.TradesLoss;
import org.widerobust.descriptors.network.CostReport;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor;
import org.widerobust.descriptors.network.WideResNetDescriptor;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.attack.NetworkTarget;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.attack.Scores;
import org.widerobust.plugin.attack.ThreatModelMath;
import org.widerobust.plugin.train.AttackSessions;
import org.widerobust.plugin.train.TradesPerturbation;

/**
 * Measures the engine on one network family member with random inputs of the family's data shape: Fashion-MNIST
 * ({@code [1, 28, 28]}) for {@code mlp} and {@code smallcnn}, CIFAR ({@code [3, 32, 32]}) for {@code wrn}; 10
 * classes:
 * <ul>
 *   <li>{@code forward_examples_per_s}: logits with fixed weights;</li>
 *   <li>{@code input_gradient_examples_per_s}: logits, cross-entropy and its input gradient in one run;</li>
 *   <li>{@code pgd20_eval_examples_per_s}: a PGD-20 evaluation attack (L∞, step ε/8, no random start, no early
 *   stop) on fixed weights;</li>
 *   <li>{@code pgd10_train_step_examples_per_s}: one PGD-10 adversarial-training step: 10 input-gradient passes
 *   (L∞ sign steps of ε/4 projected on the ball and the box, no random start, no final prediction pass, exactly
 *   as the PyTorch peer) + 1 parameter-gradient pass of the mean cross-entropy on the adversarial batch +
 *   an SGD-with-momentum update. That is the trainer's pass for PGD at a fixed λ = 1 on a network without batch
 *   norm ({@code plugin.train.ParameterPass}); a batch-norm network such as wrn trains PGD on the doubled batch
 *   [x; x'], whose parameter pass is twice this one;</li>
 *   <li>{@code trades_train_step_examples_per_s}: one TRADES step as trained: the clean probabilities, 10 KL
 *   input-gradient passes from TRADES' random start (sign steps of ε/4), the parameter-gradient pass of the TRADES
 *   objective (λ = 6) over the doubled batch [x; x'], and the SGD update.</li>
 * </ul>
 * In both training steps the attack runs on the inference-form weights (running statistics, as {@code model.eval()})
 * on the trainer's own sessions ({@link AttackSessions}: a constant-weight snapshot per step for a convnet on the
 * CPU, whose blocked convolutions need constant weights; live weights for an MLP or on CUDA); the parameter pass runs
 * the training form (batch statistics) and reads the weights zero-copy from the parameter store. {@link BenchmarkConfig#workloads()} selects which of them run. The same
 * workloads are implemented for PyTorch in {@code bench/pytorch_peer.py}.
 */
public final class ThroughputBenchmark {
    /** The example shape of the benchmark for {@code mlp} and {@code smallcnn} (Fashion-MNIST). */
    public static final long[] EXAMPLE_SHAPE = {1, 28, 28};
    /** The example shape of the benchmark for {@code wrn} (CIFAR). */
    public static final long[] CIFAR_SHAPE = {3, 32, 32};
    /** Classes of the benchmark. */
    public static final int CLASSES = 10;
    /** The TRADES weight λ of the TRADES step (TRADES' β for CIFAR-10). */
    public static final float TRADES_LAMBDA = 6f;

    private ThroughputBenchmark() {}

    /** The example shape the benchmark uses for {@code descriptor}'s family. */
    public static long[] exampleShape(NetworkDescriptor descriptor) {
        return (WideResNetDescriptor.FAMILY.equals(descriptor.family()) ? CIFAR_SHAPE : EXAMPLE_SHAPE).clone();
    }

    /**
     * Runs the workloads of {@code cfg} and returns the report as an ordered map (ready for JSON); the keys of
     * workloads not run are absent.
     */
    public static Map<String, Object> run(BenchmarkConfig cfg, Engine engine) {
        NetworkDescriptor descriptor = Families.create(cfg.arch(), cfg.width());
        long[] shape = exampleShape(descriptor);
        Network net = descriptor.build(shape, CLASSES, cfg.seed(), NetworkDescriptor.Mode.TRAINING);
        Network inference = descriptor.build(shape, CLASSES, cfg.seed(), NetworkDescriptor.Mode.INFERENCE);
        CostReport cost = descriptor.cost(shape, CLASSES);
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
        out.put("example_shape", java.util.Arrays.toString(shape));
        out.put("batch", b);
        out.put("device", engine.deviceDescription());
        out.put("parameters", cost.parameters());
        out.put("multiply_adds_per_example", cost.multiplyAdds());
        LossTargets targets = LossTargets.labels(labels);
        if (cfg.runs(Workload.FORWARD) || cfg.runs(Workload.INPUT_GRADIENT) || cfg.runs(Workload.PGD20_EVAL)) {
            try (NetworkSession fixed = new NetworkSession(engine, inference)) {
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
            pgdTrainStep(cfg, engine, net, inference, cost, x, labels, targets, out);
        }
        if (cfg.runs(Workload.TRADES_TRAIN_STEP)) {
            tradesTrainStep(cfg, engine, net, inference, cost, x, labels, out);
        }
        out.put("peak_rss_bytes", MemoryStats.peakResidentBytes());
        return out;
    }

    /** The PGD-10 training step: adds its examples/s and GFLOP/s to {@code out}. */
    private static void pgdTrainStep(BenchmarkConfig cfg, Engine engine, Network net, Network inference,
                                     CostReport cost, float[] x, int[] labels, LossTargets targets,
                                     Map<String, Object> out) {
        int b = cfg.batch();
        int len = net.exampleLength();
        ParameterStore store = new ParameterStore(net);
        ParameterStore evalStore = new ParameterStore(inference);
        try (ParameterGradients training = new ParameterGradients(engine, store, new CrossEntropyLoss(),
                Reduction.MEAN);
             AttackSessions attack = new AttackSessions(AttackSessions.Plan.forEngine(engine, inference), engine,
                     evalStore)) {
            SgdMomentum sgd = new SgdMomentum(store, 0.9, 0);
            float[] adv = new float[x.length];
            float[] stepGrad = new float[x.length];
            Runnable step = () -> {
                System.arraycopy(x, 0, adv, 0, x.length);
                NetworkSession session = beginStep(attack, store, evalStore);
                try {
                    for (int t = 0; t < 10; t++) {
                        session.lossGradient("ce", adv, b, targets, stepGrad, null, null);
                        ThreatModelMath.ascentStep(adv, stepGrad, b, len, Norm.LINF, cfg.epsilon() / 4);
                        ThreatModelMath.project(adv, x, b, len, Norm.LINF, cfg.epsilon(), net.inputBounds());
                    }
                } finally {
                    attack.endStep();
                }
                training.compute(adv, b, labels, 0f);
                sgd.step(training, 0.01);
            };
            putRate(out, Workload.PGD10_TRAIN_STEP, Stopwatch.examplesPerSecond(step, b, cfg.seconds(), 1), cost);
        }
    }

    /** The TRADES training step: adds its examples/s and GFLOP/s to {@code out}. */
    private static void tradesTrainStep(BenchmarkConfig cfg, Engine engine, Network net, Network inference,
                                        CostReport cost, float[] x, int[] labels, Map<String, Object> out) {
        int b = cfg.batch();
        ParameterStore store = new ParameterStore(net);
        ParameterStore evalStore = new ParameterStore(inference);
        try (ParameterGradients training = new ParameterGradients(engine, store, new TradesLoss(),
                Reduction.MEAN);
             AttackSessions attack = new AttackSessions(AttackSessions.Plan.forEngine(engine, inference), engine,
                     evalStore)) {
            SgdMomentum sgd = new SgdMomentum(store, 0.9, 0);
            float[] z = new float[b * CLASSES];
            float[] doubled = new float[2 * x.length];
            System.arraycopy(x, 0, doubled, 0, x.length);
            Runnable step = () -> {
                float[] adv;
                NetworkSession session = beginStep(attack, store, evalStore);
                try {
                    session.logits(x, b, z);
                    adv = TradesPerturbation.perturb(session, x, b, Scores.softmax(z, b, CLASSES), cfg.epsilon(),
                            10, cfg.epsilon() / 4, cfg.seed());
                } finally {
                    attack.endStep();
                }
                System.arraycopy(adv, 0, doubled, x.length, x.length);
                training.compute(doubled, 2 * b, labels, TRADES_LAMBDA);
                sgd.step(training, 0.01);
            };
            putRate(out, Workload.TRADES_TRAIN_STEP, Stopwatch.examplesPerSecond(step, b, cfg.seconds(), 1), cost);
        }
    }

    /**
     * The step's attack session of the inference form, with the training store's current parameters copied in, on
     * the training loop's plan ({@link AttackSessions}: a constant-weight snapshot per step for convnets on the CPU,
     * live weights otherwise).
     */
    private static NetworkSession beginStep(AttackSessions attack, ParameterStore training, ParameterStore inference) {
        if (training != inference) {
            for (String p : training.names()) {
                inference.buffer(p).put(training.buffer(p));
            }
        }
        return attack.beginStep();
    }

    /** A training step's examples/s and, from the multiply-adds it performs, its GFLOP/s. */
    private static void putRate(Map<String, Object> out, Workload w, double rate, CostReport cost) {
        out.put(w.rateKey(), rate);
        out.put(w.key() + "_gflop_per_s", rate * w.forwardMultiples() * 2.0 * cost.multiplyAdds() / 1e9);
    }
}
