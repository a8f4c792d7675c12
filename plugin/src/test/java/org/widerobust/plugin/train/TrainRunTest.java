package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.datasets.DataSpec;
import org.widerobust.descriptors.network.Families;
import org.widerobust.plugin.cli.CliRunner;

/**
 * {@code widerobust train} and its run directory in-process: refusing another run, {@code --overwrite}, unwritable
 * {@code --out} before training, permissions from the umask, divergence in every family, exploding-loss warnings,
 * and resumed runs that say where they resumed and report every leg.
 */
class TrainRunTest {
    @TempDir
    Path tmp;

    private static CliRunner.Result cli(String... args) {
        return CliRunner.run(args);
    }

    private static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--arch", "mlp", "--width", "0.25", "--data",
                "synthetic:40", "--method", "natural", "--epochs", "1", "--batch", "20", "--device", "cpu",
                "--threads", "2", "--quiet", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void anotherRunIsRefusedUnlessResumedOrOverwritten() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, cli(train(out)).code());
        byte[] model = Files.readAllBytes(out.resolve("model.onnx"));
        CliRunner.Result again = cli(train(out, "--seed", "2"));
        assertEquals(2, again.code());
        assertTrue(again.err().contains("holds another run"), again.err());
        assertEquals("", again.out());
        assertTrue(java.util.Arrays.equals(model, Files.readAllBytes(out.resolve("model.onnx"))));
        CliRunner.Result both = cli(train(out, "--resume", "--overwrite"));
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--resume and --overwrite"), both.err());
        // a mistake elsewhere in an --overwrite run loses nothing
        assertEquals(2, cli(train(out, "--overwrite", "--lr", "-1")).code());
        assertTrue(java.util.Arrays.equals(model, Files.readAllBytes(out.resolve("model.onnx"))));
        CliRunner.Result over = cli(train(out, "--seed", "2", "--overwrite"));
        assertEquals(0, over.code(), over.err());
        assertFalse(java.util.Arrays.equals(model, Files.readAllBytes(out.resolve("model.onnx"))));
        assertEquals(0, cli(train(out, "--seed", "2", "--resume")).code());
    }

    @Test
    void unwritableOutFailsBeforeTrainingInOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        List<Path> outs = new ArrayList<>(List.of(file.resolve("run"), file));
        if (!"root".equals(System.getProperty("user.name"))) {
            Path ro = Files.createDirectory(tmp.resolve("read-only"));
            Files.setPosixFilePermissions(ro, Set.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_EXECUTE));
            outs.add(ro.resolve("run"));
        }
        for (Path out : outs) {
            // many epochs: the old code failed only after training them
            CliRunner.Result r = cli("train", "--arch", "smallcnn", "--data", "synthetic:400", "--epochs", "50", "--batch", "20",
                    "--device", "cpu", "--threads", "2", "--quiet", "--out", out.toString());
            assertEquals(2, r.code(), r.err());
            assertEquals("", r.out(), "nothing may be trained");
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("widerobust train: --out "), r.err());
        }
    }

    @Test
    void everyWrittenFileFollowsTheUmask() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, cli(train(out, "--checkpoint-every", "1")).code());
        Path probe = Files.createFile(out.resolve("plain"));
        Set<PosixFilePermission> plain = Files.getPosixFilePermissions(probe);
        Files.delete(probe);
        List<Path> files;
        try (Stream<Path> s = Files.walk(out)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() >= 5, files.toString());
        for (Path f : files) {
            assertEquals(plain, Files.getPosixFilePermissions(f), f.toString());
        }
    }

    /** lr 10 made smallcnn fail inside ONNX Runtime's MaxUnpool with a stack trace; now every family stops cleanly. */
    @ParameterizedTest
    @CsvSource({"smallcnn, 10, synthetic:256, 2", "mlp, 1e6, synthetic:128, 1", "wrn-10, 1e6, synthetic:128, 1"})
    void divergenceEndsCleanlyInEveryFamilyKeepingTheLastGoodCheckpoint(String arch, String lr, String data,
                                                                         String steps) throws Exception {
        Path out = tmp.resolve(arch);
        CliRunner.Result r = cli("train", "--arch", arch, "--width", "1", "--data", data, "--epochs", "2", "--batch", "32",
                "--lr", lr, "--steps", steps, "--device", "cpu", "--threads", "2", "--quiet", "--checkpoint-every", "1",
                "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("training diverged") && r.err().contains("try a smaller learning rate"),
                r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("MaxUnpool"), r.err());
        Path ckpt = out.resolve("checkpoints").resolve(Checkpoint.FILE);
        assertTrue(r.err().contains("the last good checkpoint is " + ckpt), r.err());
        // the kept checkpoint is whole and holds finite weights
        DenseDataset d = DataSpec.load(data, "train", -1);
        LiveWeights w = new LiveWeights(Families.create(arch, 1), d.exampleShape(), d.numClasses(), 1,
                org.widerobust.plugin.model.InputDomain.UNIT);
        var sgd = new org.widerobust.adapters.network.SgdMomentum(w.trainStore(), 0.9, 2e-4);
        String fp = readFingerprint(ckpt);
        Checkpoint.read(ckpt, fp, w.stateTensors(), sgd, w.trainStore().names());
        DivergenceGuard.requireFinite(w.stateTensors(), "weight", 0, 0, null);
    }

    private static String readFingerprint(Path ckpt) throws Exception {
        try (var in = new java.io.DataInputStream(Files.newInputStream(ckpt))) {
            in.readInt();
            in.readInt();
            return in.readUTF();
        }
    }

    @Test
    void aLossThatExplodesWithoutNaNGetsAWarning() {
        CliRunner.Result r = cli("train", "--arch", "mlp", "--width", "1", "--data", "synthetic:128", "--epochs", "2", "--batch",
                "32", "--lr", "10", "--steps", "1", "--device", "cpu", "--threads", "2", "--quiet", "--out",
                tmp.resolve("run").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: the training loss is exploding"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.contains("exploding")).count(), "warned once");
    }

    @Test
    void aResumedRunSaysWhereItResumedAndReportsEveryLeg() throws Exception {
        Path out = tmp.resolve("run");
        DenseDataset data = DataSpec.load("synthetic:60", "train", -1);
        AdversarialTrainer first = AdversarialTrainer.builder().network(Families.create("mlp", 0.25))
                .method("natural").epsilon(0.1).attackSteps(10).stepSize(0.01).lambda(6).epochs(2).batchSize(20)
                .learningRate(0.01).weightDecay(2e-4).seed(1).augment(false)
                .checkpointDir(out.resolve("checkpoints")).checkpointEvery(1).progress(false).build();
        first.haltAfterCheckpoint(0, 2); // as if killed after epoch 1, batch 2
        try (Engine engine = TrainData.cpu()) {
            assertThrows(TrainingLoop.Halted.class, () -> first.trainDense(data, engine, false));
        }
        CliRunner.Result r = cli("train", "--arch", "mlp", "--width", "0.25", "--data", "synthetic:60", "--method", "natural",
                "--eps", "0.1", "--step-size", "0.01", "--epochs", "2", "--batch", "20", "--checkpoint-every", "1",
                "--device", "cpu", "--threads", "2", "--quiet", "--resume", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("resumed from " + out.resolve("checkpoints").resolve(Checkpoint.FILE)
                + " at epoch 1, batch 3 (0 epochs done, 1 earlier leg)"), r.err());
        JsonNode j = new ObjectMapper().readTree(out.resolve("train.json").toFile());
        JsonNode legs = j.get("legs");
        assertEquals(2, legs.size(), j.toPrettyString());
        assertEquals(1, legs.get(0).get("from_epoch").asInt());
        assertEquals(1, legs.get(0).get("from_batch").asInt());
        assertEquals(40, legs.get(0).get("examples").asLong());
        assertEquals(1, legs.get(1).get("from_epoch").asInt());
        assertEquals(3, legs.get(1).get("from_batch").asInt());
        assertEquals(80, legs.get(1).get("examples").asLong());
        assertEquals(120, j.get("all_legs").get("examples").asLong());
        assertEquals(2, j.get("epochs").size());
    }
}
