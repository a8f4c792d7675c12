package org.widerobust.plugin.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The workloads of {@link ThroughputBenchmark}, in the order they run. */
public enum Workload {
    /** Logits with fixed weights. */
    FORWARD(1),
    /** Logits, cross-entropy and its input gradient in one run. */
    INPUT_GRADIENT(2),
    /** A PGD-20 evaluation attack on fixed weights: 20 input-gradient passes and a prediction. */
    PGD20_EVAL(20 * 2 + 1),
    /**
     * One PGD-10 adversarial-training step: 10 × (forward + input backward) + (forward + input backward + weight
     * backward).
     */
    PGD10_TRAIN_STEP(10 * 2 + 3),
    /**
     * One TRADES training step: the clean forward, 10 KL input-gradient passes, and the parameter pass over the
     * doubled batch (2 × (forward + input backward + weight backward)).
     */
    TRADES_TRAIN_STEP(1 + 10 * 2 + 2 * 3);

    private final int forwardMultiples;

    Workload(int forwardMultiples) {
        this.forwardMultiples = forwardMultiples;
    }

    /** Multiply-adds of the workload per example, in multiples of one forward pass's multiply-adds. */
    public int forwardMultiples() {
        return forwardMultiples;
    }

    /** The name on the command line ({@code --workloads}) and the prefix of the JSON keys, e.g. {@code pgd20_eval}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The JSON key of its throughput, e.g. {@code pgd20_eval_examples_per_s}. */
    public String rateKey() {
        return key() + "_examples_per_s";
    }

    /** Every {@link #key()}, comma-separated, in run order. */
    public static String keys() {
        return Arrays.stream(values()).map(Workload::key).collect(Collectors.joining(","));
    }
}
