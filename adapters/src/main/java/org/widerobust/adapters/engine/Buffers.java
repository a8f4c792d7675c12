package org.widerobust.adapters.engine;

/**
 * Where a compiled graph's intermediate tensors are allocated on the CPU (on CUDA the provider's own device arena is
 * used either way). Measured on smallcnn k = 4, TRADES step at batch 128 (docs/benchmarks.md, 2026-11-30): the
 * doubled-batch parameter pass on {@link #PER_RUN} buffers lowered the step's peak resident memory from about 1,500
 * to 1,000 MB at the same speed, since its arena was otherwise held while the attack passes ran.
 */
public enum Buffers {
    /**
     * ONNX Runtime's CPU memory arena, kept by the session between runs: for graphs run many times in a row (attack
     * steps, evaluation batches), where it saves allocating and faulting in the memory at every run. Without it
     * PGD-20 evaluation ran about 10% (quiet) to 40% (loaded machine) slower.
     */
    ARENA,
    /**
     * The system allocator, freed at the end of every run: for a graph run once between runs of other graphs (the
     * training step's parameter pass), so that its memory is not held while the others run.
     */
    PER_RUN
}
