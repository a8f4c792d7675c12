package org.widerobust.plugin.bench;

/** Repeats a workload until a minimum time has passed and reports examples per second. */
final class Stopwatch {
    private Stopwatch() {}

    /**
     * Runs {@code warmup} untimed repetitions, then at least 3 timed ones and at least {@code seconds}.
     *
     * @return examples per second
     */
    static double examplesPerSecond(Runnable work, int examplesPerRun, double seconds, int warmup) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        long start = System.nanoTime();
        int runs = 0;
        double elapsed;
        do {
            work.run();
            runs++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < seconds || runs < 3);
        return (double) examplesPerRun * runs / elapsed;
    }
}
