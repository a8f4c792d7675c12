package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.provenance.TrainerProvenance;
import org.widerobust.descriptors.network.Families;

/** The trainer behaves like Tribuo's own: exact provenance, invocation counts, weights, regenerated configs. */
class TribuoContractTest {

    private static String config(TrainerProvenance p, String field) {
        Provenance v = p.getConfiguredParameters().get(field);
        return v == null ? null : v.toString();
    }

    @Test
    void networkAndFamilyThatContradictEachOtherAreAPropertyExceptionNamingBoth() {
        PropertyException e = assertThrows(PropertyException.class, () -> TrainData.base()
                .network(Families.create("mlp", 1)).network("smallcnn", 1).build());
        assertTrue(e.getMessage().contains("network") && e.getMessage().contains("family"), e.getMessage());
        // agreeing values (as in a configuration regenerated from provenance) are fine
        TrainData.base().network(Families.create("mlp", 0.5)).network("mlp", 0.5).build();
    }

    @Test
    void provenanceRecordsWhatRuns() {
        AdversarialTrainer t = AdversarialTrainer.builder().network(Families.create("mlp", 0.25)).epsilon(0.2)
                .progress(false).build();
        TrainerProvenance p = t.getProvenance();
        assertTrue(config(p, "family").contains("mlp"), config(p, "family"));
        assertTrue(config(p, "width").contains("0.25"), config(p, "width"));
        assertTrue(config(p, "stepSize").contains("0.05"), config(p, "stepSize"));
        AdversarialTrainer byName = AdversarialTrainer.builder().network("wrn-16", 2).progress(false).build();
        assertTrue(config(byName.getProvenance(), "family").contains("wrn-16"));
        // only what applies
        TrainerProvenance natural = TrainData.base().build().getProvenance();
        for (String absent : new String[] {"epsilon", "attackSteps", "stepSize", "lambda", "checkpointEvery",
                "imageConverter", "featureBounds"}) {
            assertEquals(null, config(natural, absent), absent);
        }
        assertEquals(null, config(natural, "lambdaRule"), "natural training has no λ rule");
        AdversarialTrainer validated = TrainData.base().validationExamples(10).build();
        assertTrue(config(validated.getProvenance(), "epsilon") != null, "the validation attack uses ε");
        assertTrue(config(validated.getProvenance(), "stepSize") != null);
        assertEquals(null, validated.settings().get("lambda"), "train.json's config follows the same rules");
        assertEquals(null, validated.settings().get("attack_steps"));
        assertTrue(validated.settings().get("epsilon") != null);
        assertTrue(config(AdversarialTrainer.builder().method("pgd").lambda(2).build().getProvenance(), "lambda")
                .contains("2.0"), "PGD minimises the λ form too: its λ₀ is recorded (WAR compares a reference's λ₀)");
        assertTrue(config(t.getProvenance(), "lambda") != null, "TRADES records lambda");
    }

    @Test
    void modelProvenanceRecordsVersionHashDeviceAndThreads() {
        MutableDataset<Label> ds = TrainData.train().first(60).toDataset();
        try (NetworkModel m = TrainData.base().device("cpu").threads(1).build().train(ds)) {
            var run = m.getProvenance().getInstanceProvenance().getMap();
            assertEquals(ModelRunProvenance.sha256(m.onnxBytes()),
                    ((StringProvenance) run.get(ModelRunProvenance.NETWORK_SHA256)).getValue());
            assertTrue(run.get(ModelRunProvenance.DEVICE).toString().contains("cpu"));
            // the pool's real size (ONNX Runtime's one global pool may predate this engine)
            assertEquals(new IntProvenance(ModelRunProvenance.THREADS, m.trainingThreads()),
                    run.get(ModelRunProvenance.THREADS));
            assertTrue(m.trainedOn().contains("cpu"), m.trainedOn());
            assertEquals("cpu", m.device(), "a CPU-trained model predicts on the CPU, not on device=auto");
            assertTrue(run.containsKey(ModelRunProvenance.VERSION));
            assertEquals("[0.0, 1.0]", ((StringProvenance) run.get(ModelRunProvenance.DOMAIN)).getValue());
            assertEquals("mlp(k=0.25)", ((StringProvenance) run.get(ModelRunProvenance.NETWORK)).getValue());
        }
    }

    @Test
    void invocationCountFeedsTheRandomnessAndSetInvocationCountReproducesAModel() {
        MutableDataset<Label> ds = TrainData.train().first(100).toDataset();
        AdversarialTrainer t = TrainData.base().device("cpu").threads(2).build();
        byte[] first;
        byte[] second;
        try (NetworkModel a = t.train(ds); NetworkModel b = t.train(ds)) {
            first = a.onnxBytes();
            second = b.onnxBytes();
        }
        assertFalse(java.util.Arrays.equals(first, second), "the second invocation must differ from the first");
        AdversarialTrainer fresh = TrainData.base().device("cpu").threads(2).build();
        fresh.setInvocationCount(1);
        try (NetworkModel again = fresh.train(ds)) {
            assertArrayEquals(second, again.onnxBytes());
        }
        AdversarialTrainer zero = TrainData.base().device("cpu").threads(2).build();
        try (NetworkModel again = zero.train(ds, java.util.Map.of(), 0)) {
            assertArrayEquals(first, again.onnxBytes());
        }
    }

    @Test
    void exampleWeightsOtherThanOneAreRefused() {
        MutableDataset<Label> ds = TrainData.train().first(20).toDataset();
        Example<Label> e = ds.getExample(7);
        e.setWeight(2f);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> TrainData.base().device("cpu").build().train(ds));
        assertTrue(x.getMessage().contains("example 7") && x.getMessage().contains("weight"), x.getMessage());
    }

    /**
     * A configuration regenerated from a model's provenance retrains an identical network, and its run does not
     * touch the first run's checkpoint.
     */
    /**
     * Two readings of the same files are the same data to a run's fingerprint (checkpoint names, --resume), although
     * Tribuo's descriptions differ by the time each data source was created.
     */
    @Test
    void aRunsFingerprintIgnoresWhenTribuoReadTheData() throws Exception {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        List<MutableDataset<Label>> readings = new java.util.ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readings.add(new MutableDataset<>(new org.tribuo.datasource.IDXDataSource<>(
                    dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"),
                    new org.tribuo.classification.LabelFactory())));
            Thread.sleep(20);
        }
        String first = readings.get(0).getSourceDescription();
        String second = readings.get(1).getSourceDescription();
        assertTrue(first.contains("creation-time") && !first.equals(second), first + " / " + second);
        AdversarialTrainer t = TrainData.base().network(Families.create("mlp", 0.25)).build();
        assertEquals(t.fingerprint(TrainerSettings.dense(readings.get(0), null)),
                t.fingerprint(TrainerSettings.dense(readings.get(1), null)));
        assertFalse(TrainerSettings.stableDescription(first).contains("creation-time"),
                TrainerSettings.stableDescription(first));
    }

    @Test
    void regeneratedConfigurationRetrainsIdenticallyWithoutTouchingTheFirstRun(@TempDir Path tmp) throws Exception {
        MutableDataset<Label> ds = TrainData.train().first(100).toDataset();
        AdversarialTrainer t = TrainData.base().network(Families.create("mlp", 0.25)).device("cpu").threads(2)
                .checkpointDir(tmp).build();
        byte[] firstNet;
        List<ConfigurationData> config;
        try (NetworkModel m = t.train(ds)) {
            firstNet = m.onnxBytes();
            config = ProvenanceUtil.extractConfiguration(m.getProvenance());
        }
        Path ckpt = tmp.resolve(Checkpoint.FILE);
        byte[] ckptBytes = Files.readAllBytes(ckpt);
        var ckptTime = Files.getLastModifiedTime(ckpt);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        List<AdversarialTrainer> trainers = cm.lookupAll(AdversarialTrainer.class);
        assertEquals(1, trainers.size());
        try (NetworkModel again = trainers.get(0).train(ds)) {
            assertArrayEquals(firstNet, again.onnxBytes());
        }
        assertArrayEquals(ckptBytes, Files.readAllBytes(ckpt));
        assertEquals(ckptTime, Files.getLastModifiedTime(ckpt));
        try (var files = Files.list(tmp)) {
            assertEquals(2, files.count(), "the second run checkpoints to its own file");
        }
    }
}
