package org.widerobust.plugin.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.DataSource;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.datasource.IDXDataSource;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.attack.Pgd;
import org.widerobust.plugin.eval.RobustnessEvaluation;
import org.widerobust.plugin.eval.RobustnessEvaluator;
import org.widerobust.plugin.model.InputDomain;
import org.widerobust.plugin.train.AdversarialTrainer;
import org.widerobust.plugin.train.NetworkModel;
import org.widerobust.plugin.train.NetworkModelExport;

/**
 * Runs {@code docs/examples/tribuo-pipeline.xml} on a small slice of Fashion-MNIST: Tribuo's IDXDataSource →
 * ImageConverter → AdversarialTrainer (smallcnn, TRADES) → LabelEvaluator → RobustnessEvaluator; then retrains from
 * the configuration regenerated out of the model's provenance, which gives the identical network and leaves the
 * first run's files alone.
 */
class PipelineExampleTest {
    static final Path XML = Path.of("../docs/examples/tribuo-pipeline.xml");
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void xmlPipelineRunsAndItsRegeneratedConfigurationRetrainsIdentically() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        slice("train", 64, data);
        slice("t10k", 16, data);
        Path out = tmp.resolve("run");
        ConfigurationManager cm = new ConfigurationManager(XML.toString());
        cm.setGlobalProperty("dataDir", data.toString());
        cm.setGlobalProperty("outDir", out.toString());

        MutableDataset<Label> train = new MutableDataset<>((DataSource<Label>) cm.lookup("train-data"));
        MutableDataset<Label> test = new MutableDataset<>((DataSource<Label>) cm.lookup("test-data"));
        AdversarialTrainer trainer = (AdversarialTrainer) cm.lookup("trainer");
        NetworkModel model = trainer.train(train);
        assertArrayEquals(new long[] {1, 28, 28}, model.exampleShape());
        assertArrayEquals(InputDomain.UNIT, model.inputDomain());
        assertEquals(1, model.history().size());

        LabelEvaluation natural = new LabelEvaluator().evaluate(model, test);
        RobustnessEvaluation robust = ((RobustnessEvaluator) cm.lookup("robustness")).evaluate(model, test);
        assertEquals(natural.accuracy(), robust.naturalAccuracy(), 1e-12);
        assertTrue(robust.robustAccuracy() <= robust.naturalAccuracy());
        assertTrue(robust.perAttack().values().iterator().next().whiteBox());
        assertEquals(model.getProvenance(), robust.getProvenance().getModelProvenance());
        exportedFileIsAttackedInItsOwnUnits(model, test, robust);
        model.save(out.resolve("model.tribuo"));
        Map<Path, String> before = snapshot(out);
        assertTrue(before.keySet().stream().anyMatch(p -> p.toString().endsWith(".ckpt")), before.toString());

        List<ConfigurationData> regenerated = ProvenanceUtil.extractConfiguration(model.getProvenance());
        ConfigurationManager again = new ConfigurationManager();
        again.addConfiguration(regenerated);
        AdversarialTrainer retrainer = again.lookupAll(AdversarialTrainer.class).get(0);
        IDXDataSource<Label> source = again.lookupAll(IDXDataSource.class).get(0);
        try (NetworkModel second = retrainer.train(new MutableDataset<>(source))) {
            assertArrayEquals(model.onnxBytes(), second.onnxBytes());
        }
        Map<Path, String> after = snapshot(out);
        for (Map.Entry<Path, String> e : before.entrySet()) {
            assertEquals(e.getValue(), after.get(e.getKey()), "the first run's " + e.getKey() + " was touched");
        }
        model.close();
    }

    /**
     * The model divides IDX's 0-255 pixels by 255 inside its exported graph, so the exported file takes raw pixels:
     * attacked as an {@code ONNXExternalModel} it is projected into [0, 255], and the same PGD-20 with its budget
     * and step in raw units (× 255) finds what it found on the model itself.
     */
    private void exportedFileIsAttackedInItsOwnUnits(NetworkModel model, MutableDataset<Label> test,
                                                     RobustnessEvaluation robust) throws Exception {
        Path file = tmp.resolve("export.onnx");
        NetworkModelExport.write(model, file);
        RobustnessEvaluator rawUnits = new RobustnessEvaluator(List.of(new Pgd(0.1 * 255, Norm.LINF, 20, 0.01 * 255,
                "ce")));
        try (ONNXExternalModel<Label> ext = NetworkModelExport.toExternalModel(file)) {
            RobustnessEvaluation r = rawUnits.evaluate(ext, test);
            assertTrue(r.perAttack().values().iterator().next().whiteBox());
            assertEquals(robust.naturalAccuracy(), r.naturalAccuracy(), 1e-12);
            assertEquals(robust.robustAccuracy(), r.robustAccuracy(), 1.0 / test.size() + 1e-12);
            assertTrue(r.perturbations().maxLinf() <= 0.1 * 255 * (1 + 1e-5), r.perturbations().toString());
            assertEquals(0, r.perAttack().values().iterator().next().outsideThreatModel(), r.warnings().toString());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("takes raw features in [0.0, 255.0]")),
                    r.warnings().toString());
        }
    }

    /** Path → size, modification time and content hash of every file under dir. */
    private static Map<Path, String> snapshot(Path dir) throws IOException {
        Map<Path, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                FileTime t = Files.getLastModifiedTime(p);
                m.put(dir.relativize(p), Files.size(p) + " " + t + " " + java.util.Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    /** The first n images and labels of an IDX pair, as gzipped IDX files of the same names. */
    static void slice(String prefix, int n, Path dir) throws IOException {
        copy(FASHION.resolve(prefix + "-images-idx3-ubyte.gz"), dir.resolve(prefix + "-images-idx3-ubyte.gz"), n);
        copy(FASHION.resolve(prefix + "-labels-idx1-ubyte.gz"), dir.resolve(prefix + "-labels-idx1-ubyte.gz"), n);
    }

    private static void copy(Path from, Path to, int n) throws IOException {
        try (InputStream raw = new GZIPInputStream(Files.newInputStream(from));
             DataInputStream in = new DataInputStream(raw);
             OutputStream o = new GZIPOutputStream(Files.newOutputStream(to));
             DataOutputStream out = new DataOutputStream(o)) {
            int magic = in.readInt();
            int dims = magic & 0xff;
            out.writeInt(magic);
            long per = 1;
            in.readInt();
            out.writeInt(n);
            for (int d = 1; d < dims; d++) {
                int size = in.readInt();
                out.writeInt(size);
                per *= size;
            }
            out.write(in.readNBytes((int) (per * n)));
        }
    }
}
