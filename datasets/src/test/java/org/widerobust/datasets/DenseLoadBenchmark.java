package org.widerobust.datasets;

import org.widerobust.adapters.data.DenseDataset;

/**
 * Times loading the 60,000 Fashion-MNIST training images into the dense view, and the heap in use afterwards.
 * Not a test; run with e.g.
 * {@code java -Xmx1g -cp datasets/target/test-classes:datasets/target/classes:<deps> org.widerobust.datasets.DenseLoadBenchmark [spec] [repeats]}.
 */
public final class DenseLoadBenchmark {
    private DenseLoadBenchmark() {}

    /**
     * @param args optional spec (default {@code fashion-mnist}) and number of repeats (default 5).
     */
    public static void main(String[] args) {
        String spec = args.length > 0 ? args[0] : "fashion-mnist";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Runtime rt = Runtime.getRuntime();
        System.out.printf("nproc=%d, maxHeap=%d MB, java=%s%n", rt.availableProcessors(), rt.maxMemory() >> 20, System.getProperty("java.version"));
        for (int r = 0; r < repeats; r++) {
            System.gc();
            long before = rt.totalMemory() - rt.freeMemory();
            long t0 = System.nanoTime();
            DenseDataset d = DataSpec.load(spec, "train", -1);
            long t1 = System.nanoTime();
            System.gc();
            long after = rt.totalMemory() - rt.freeMemory();
            System.out.printf("run %d: %s loaded %d examples %s in %.3f s; heap in use %d MB (was %d MB; data array %d MB)%n",
                    r, spec, d.size(), java.util.Arrays.toString(d.exampleShape()), (t1 - t0) / 1e9,
                    after >> 20, before >> 20, ((long) d.data().length * 4) >> 20);
        }
    }
}
