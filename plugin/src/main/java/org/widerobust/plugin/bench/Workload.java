package org.widerobust.plugin.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The workloads of {@link ThroughputBenchmark}, in the order they run. */
public enum Workload {
    /** Logits with fixed weights. */
    FORWARD,
    /** Logits, cross-entropy and its input gradient in one run. */
    INPUT_GRADIENT,
    /** A PGD-20 evaluation attack on fixed weights. */
    PGD20_EVAL,
    /** One PGD-10 adversarial-training step. */
    PGD10_TRAIN_STEP;

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
