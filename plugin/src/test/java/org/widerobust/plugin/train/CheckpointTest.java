package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.CpuEngineTest;

/** Checkpoints: resuming gives the same weights as an uninterrupted run; bad checkpoints fail clearly. */
class CheckpointTest extends CpuEngineTest {
    private static AdversarialTrainer.Builder trades(int epochs, Path dir) {
        return TrainData.base().method("trades").attackSteps(2).stepSize(0.03).epochs(epochs).batchSize(40)
                .checkpointDir(dir);
    }

    private static DenseDataset data() {
        return TrainData.train().first(200);
    }

    @Test
    void resumeAfterOneEpochMatchesStraightRun(@TempDir Path tmp) {
        byte[] straight = trades(2, tmp.resolve("a")).build().trainDense(data(), engine, false).model().onnxBytes();
        // the same 2-epoch run, stopped right after its end-of-epoch-1 checkpoint, then resumed
        Path b = tmp.resolve("b");
        AdversarialTrainer twoEpochs = trades(2, b).build();
        interruptAfterEpochs(twoEpochs, 1, b);
        TrainingResult resumed = twoEpochs.trainDense(data(), engine, true);
        assertEquals(b.resolve(Checkpoint.FILE).toString(), resumed.resumedFrom());
        assertEquals(2, resumed.epochs().size(), "history includes the epoch before the interruption");
        assertEquals(data().size(), resumed.examples(), "only the second epoch ran");
        assertArrayEquals(straight, resumed.model().onnxBytes());
    }

    @Test
    void resumeMidEpochMatchesStraightRun(@TempDir Path tmp) {
        byte[] straight = trades(2, null).build().trainDense(data(), engine, false).model().onnxBytes();
        Path dir = tmp.resolve("c");
        AdversarialTrainer t = trades(2, dir).checkpointEvery(2).build();
        // stopped right after the checkpoint at epoch 1, batch 2 (of 5), then resumed
        interruptAt(t, dir, 0, 2);
        TrainingResult resumed = t.trainDense(data(), engine, true);
        assertEquals(data().size() * 2L - 2 * 40, resumed.examples());
        assertArrayEquals(straight, resumed.model().onnxBytes());
    }

    @Test
    void corruptCheckpointNamesTheFile(@TempDir Path tmp) throws IOException {
        AdversarialTrainer t = trades(2, tmp).build();
        t.trainDense(TrainData.train().first(40), engine, false);
        Path file = tmp.resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> t.trainDense(TrainData.train().first(40), engine, true));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"),
                e.getMessage());
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        e = assertThrows(CheckpointException.class, () -> t.trainDense(TrainData.train().first(40), engine, true));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void checkpointOfAnotherConfigurationIsRejected(@TempDir Path tmp) {
        trades(1, tmp).build().trainDense(TrainData.train().first(40), engine, false);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> trades(1, tmp).lambda(1).build().trainDense(TrainData.train().first(40), engine, true));
        assertTrue(e.getMessage().contains("different training configuration"), e.getMessage());
        // the message points at what changed, not only at two long lines to compare by eye
        assertTrue(e.getMessage().contains("configuration (lambda 6.0 → 1.0"), e.getMessage());
        assertEquals(" (rho_ref 0.05 → 0.06)", Checkpoint.differences("x {rule=ratio, rho_ref=0.05, gamma=0.3}",
                "x {rule=ratio, rho_ref=0.06, gamma=0.3}"));
    }

    @Test
    void missingCheckpoint(@TempDir Path tmp) {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> trades(1, tmp).build().trainDense(TrainData.train().first(40), engine, true));
        assertTrue(e.getMessage().contains(tmp.resolve(Checkpoint.FILE).toString()), e.getMessage());
    }

    /** Runs {@code t} until it has written the checkpoint at (epoch, batch), then stops it as a kill would. */
    private static void interruptAt(AdversarialTrainer t, Path dir, int epoch, int batch) {
        t.haltAfterCheckpoint(epoch, batch);
        assertThrows(TrainingLoop.Halted.class, () -> t.trainDense(data(), engine, false));
        t.haltAfterCheckpoint(-1, -1);
        assertTrue(Files.exists(dir.resolve(Checkpoint.FILE)));
    }

    private static void interruptAfterEpochs(AdversarialTrainer t, int epochs, Path dir) {
        interruptAt(t, dir, epochs, 0);
    }
}
