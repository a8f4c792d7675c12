package org.widerobust.plugin.bench;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What to measure.
 *
 * @param arch      family name ({@code smallcnn}, {@code mlp}, {@code wrn-16}, ...)
 * @param width     width factor k
 * @param batch     examples per run
 * @param seconds   minimum measured time per workload
 * @param epsilon   the PGD radius (L∞) of the training step
 * @param seed      seed of the network and the random inputs
 * @param workloads the workloads to run (not empty; stored unmodifiable, in {@link Workload} order)
 */
public record BenchmarkConfig(String arch, double width, int batch, double seconds, double epsilon, long seed,
                              Set<Workload> workloads) {
    public BenchmarkConfig {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("--seconds must be > 0, got " + seconds);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("--eps must be > 0 and finite, got " + epsilon);
        }
        if (workloads == null || workloads.isEmpty()) {
            throw new IllegalArgumentException("--workloads must name at least one of " + Workload.keys());
        }
        workloads = Collections.unmodifiableSet(EnumSet.copyOf(workloads));
    }

    /** All workloads, with the default workload set. */
    public BenchmarkConfig(String arch, double width, int batch, double seconds, double epsilon, long seed) {
        this(arch, width, batch, seconds, epsilon, seed, EnumSet.allOf(Workload.class));
    }

    /** Whether {@code w} is to be measured. */
    public boolean runs(Workload w) {
        return workloads.contains(w);
    }

    /**
     * Parses a {@code --workloads} value: a comma-separated list of {@link Workload#key()} names (case and blanks
     * around names ignored, repeats allowed); {@code null} means all workloads.
     *
     * @throws IllegalArgumentException for an unknown name or a list without names
     */
    public static Set<Workload> parseWorkloads(String list) {
        if (list == null) {
            return EnumSet.allOf(Workload.class);
        }
        Set<Workload> out = EnumSet.noneOf(Workload.class);
        for (String name : org.widerobust.plugin.OptionValues.list("workloads", list)) {
            out.add(Arrays.stream(Workload.values()).filter(w -> w.key().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--workloads: unknown workload '" + name
                            + "'; choose from " + Workload.keys())));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--workloads must name at least one of " + Workload.keys() + ", got '"
                    + list + "'");
        }
        return out;
    }
}
