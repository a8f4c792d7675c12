package org.widerobust.plugin.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.datasets.DataSpec;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.attack.NetworkTarget;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.testing.TestNets;

/** The evaluator on real ONNX Runtime sessions: PyTorch fixtures, a gradient-masked net, a softmax net. */
class RobustnessEvaluatorTest {
    private static Engine engine;
    private static DenseDataset test64;

    @BeforeAll
    static void setUp() {
        engine = Engine.create(DeviceSpec.CPU, 2);
        test64 = DataSpec.load("fashion-mnist", "test", 64);
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    private static Attack pgd(double eps, int steps) {
        return Attacks.create("pgd", new AttackOptions(eps, Norm.LINF, steps, eps / 4, 1, false, false));
    }

    private static NetworkTarget fixtureTarget(String name) {
        var net = OnnxClassifierImporter.load(TestNets.fixture(name).resolve("model.onnx"));
        return new NetworkTarget(new NetworkSession(engine, net));
    }

    @Test
    void fastPathOnTheMlpFixture() {
        NetworkTarget t = fixtureTarget("mlp");
        RobustnessEvaluator ev = new RobustnessEvaluator(List.of(pgd(0.03, 5), Attacks.create("fgsm",
                AttackOptions.of(0.03, Norm.LINF))), 32, 1L, true, 3);
        RobustnessEvaluation e = ev.evaluate(t, test64);
        assertTrue(e.naturalAccuracy() > 0.7, e.toString());
        assertTrue(e.robustAccuracy() < e.naturalAccuracy(), e.toString());
        for (AttackSummary s : e.perAttack().values()) {
            assertTrue(e.robustAccuracy() <= s.robustAccuracy());
            assertEquals(0, s.outsideThreatModel());
            assertTrue(s.queries() > 0);
        }
        assertEquals(e.robustAccuracy(), e.adversarialEvaluation().accuracy(), 1e-12);
        assertEquals(e.robustAccuracy(), e.get(RobustnessEvaluation.ROBUST_ACCURACY), 1e-12);
        assertTrue(e.localLipschitz().isPresent() && e.localLipschitz().getAsDouble() > 0);
        assertTrue(e.perturbations().maxLinf() <= 0.03 + 1e-6);
        assertEquals(0.0, e.zeroGradientFraction());
        assertTrue(e.warnings().isEmpty(), e.warnings().toString());
        long broken = java.util.Arrays.stream(e.examples().brokenBy()).filter(b -> b == null).count();
        assertEquals(Math.round(e.robustAccuracy() * 64), broken);
        assertEquals(64, e.getPredictions().size());
    }

    @Test
    void provenanceRoundTripsThroughMarshalling() throws Exception {
        RobustnessEvaluator ev = new RobustnessEvaluator(List.of(pgd(0.03, 2)), 64, 3L, false, 1);
        RobustnessEvaluation e = ev.evaluate(fixtureTarget("mlp"), test64.first(16));
        RobustnessEvaluationProvenance p = e.robustnessProvenance();
        List<ObjectMarshalledProvenance> m = ProvenanceUtil.marshalProvenance(p);
        ObjectProvenance back = ProvenanceUtil.unmarshalProvenance(m);
        assertEquals(p, back);
        JsonProvenanceSerialization json = new JsonProvenanceSerialization(false);
        ObjectProvenance viaJson = ProvenanceUtil.unmarshalProvenance(json.deserializeFromString(
                json.serializeToString(m)));
        assertEquals(p, viaJson);
        RobustnessEvaluationProvenance r = (RobustnessEvaluationProvenance) viaJson;
        assertEquals(1, r.attackProvenances().size());
        assertNotNull(r.evaluationProvenance().getModelProvenance());
        assertTrue(r.evaluatorProvenance().getConfiguredParameters().containsKey("attacks"));
    }

    @Test
    void maskedGradientsAreReported() {
        DenseDataset train = DataSpec.load("fashion-mnist", "train", 2000);
        var net = OnnxClassifierImporter.fromModel(Path.of("masked.onnx"), TestNets.maskedCentroids(train),
                new float[] {0, 1}).network();
        NetworkTarget t = new NetworkTarget(new NetworkSession(engine, net));
        Attack square = Attacks.create("square", AttackOptions.of(0.2, Norm.LINF).withSquareQueries(300));
        RobustnessEvaluator ev = new RobustnessEvaluator(List.of(pgd(0.2, 10), square), 64, 0L, false, 1);
        RobustnessEvaluation e = ev.evaluate(t, test64);
        AttackSummary white = e.perAttack().get(List.copyOf(e.perAttack().keySet()).get(0));
        AttackSummary black = e.perAttack().get(List.copyOf(e.perAttack().keySet()).get(1));
        assertEquals(e.naturalAccuracy(), white.robustAccuracy(), 1e-12, "PGD should be blind here");
        assertTrue(black.robustAccuracy() < white.robustAccuracy(), e.toString());
        assertTrue(e.zeroGradientFraction() > 0.9, e.toString());
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("exactly zero")), e.warnings().toString());
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("gradient masking") && w.contains("black-box")),
                e.warnings().toString());
    }

    @Test
    void probabilityOutputsAndHugeEpsilonAreReported() {
        // Built directly: the importer would attack the logits before the final Softmax.
        var net = new org.widerobust.descriptors.network.Network("softmax",
                TestNets.linear(new long[] {1, 28, 28}, 10, true), "input", "logits", new long[] {1, 28, 28}, 10,
                List.of(), List.of(), new float[] {0, 1});
        NetworkTarget t = new NetworkTarget(new NetworkSession(engine, net));
        RobustnessEvaluation e = new RobustnessEvaluator(List.of(pgd(1.5, 1)), 64, 0L, false, 1)
                .evaluate(t, test64.first(8));
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("look like probabilities")), e.warnings().toString());
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("meaningless")), e.warnings().toString());
        assertFalse(e.warnings().stream().anyMatch(w -> w.contains("identical runs")));
    }

    @Test
    void mismatchedShapesAndBlackBoxGradientsAreErrors() {
        var net = OnnxClassifierImporter.fromModel(Path.of("c.onnx"),
                TestNets.linear(new long[] {3, 32, 32}, 10, false), new float[] {0, 1}).network();
        NetworkTarget t = new NetworkTarget(new NetworkSession(engine, net));
        RobustnessEvaluator ev = new RobustnessEvaluator(List.of(pgd(0.1, 1)));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ev.evaluate(t, test64));
        assertTrue(ex.getMessage().contains("[3, 32, 32]") && ex.getMessage().contains("[1, 28, 28]"),
                ex.getMessage());
    }

    /** An empty data set is refused before any work, on the fast path and through Tribuo's Evaluator. */
    @Test
    void emptyDataIsAClearError() throws Exception {
        RobustnessEvaluator ev = new RobustnessEvaluator(List.of(pgd(0.1, 1)));
        IllegalArgumentException fast = assertThrows(IllegalArgumentException.class,
                () -> ev.evaluate(fixtureTarget("mlp"), test64.first(0)));
        assertTrue(fast.getMessage().contains("empty"), fast.getMessage());
        org.tribuo.Model<org.tribuo.classification.Label> lr = new org.tribuo.classification.sgd.linear
                .LogisticRegressionTrainer().train(test64.toDataset());
        org.tribuo.MutableDataset<org.tribuo.classification.Label> none = new org.tribuo.MutableDataset<>(
                test64.toDataset().getProvenance(), new org.tribuo.classification.LabelFactory());
        IllegalArgumentException tribuo = assertThrows(IllegalArgumentException.class, () -> ev.evaluate(lr, none));
        assertTrue(tribuo.getMessage().contains("empty"), tribuo.getMessage());
    }

    /** A model at chance level is said to be untrained or broken; a trained one is not. */
    @Test
    void aModelAtChanceIsWarnedAbout() {
        assertTrue(SanityChecks.chanceLevel(0.11, 10, 64).contains("not above chance (1/10 = 10.00%)"));
        assertTrue(SanityChecks.chanceLevel(0.04, 10, 1000) != null);
        assertEquals(null, SanityChecks.chanceLevel(0.30, 10, 64));
        RobustnessEvaluation e = new RobustnessEvaluator(List.of(pgd(0.1, 1))).evaluate(fixtureTarget("mlp"), test64);
        assertFalse(e.warnings().stream().anyMatch(w -> w.contains("not above chance")), e.warnings().toString());
    }
}
