package org.widerobust.plugin.bench;

/**
 * What to measure.
 *
 * @param arch     family name ({@code smallcnn}, {@code mlp}, {@code wrn-16}, ...)
 * @param width    width factor k
 * @param batch    examples per run
 * @param seconds  minimum measured time per workload
 * @param epsilon  the PGD radius (L∞) of the training step
 * @param seed     seed of the network and the random inputs
 */
public record BenchmarkConfig(String arch, double width, int batch, double seconds, double epsilon, long seed) {
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
    }
}
