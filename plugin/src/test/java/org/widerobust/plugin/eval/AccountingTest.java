package org.widerobust.plugin.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.datasets.DataSpec;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.NetworkDescriptor;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.attack.NetworkTarget;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.attack.Scores;
import org.widerobust.plugin.testing.TestNets;

/**
 * Issue 11, findings 1, 2 and 5 and AutoAttack on few classes: the evaluator's accounting on the PyTorch mlp
 * fixture and on small models built here (a seeded untrained mlp, a 3-class linear model, a model whose outputs
 * are not finite).
 */
class AccountingTest {
    private static Engine engine;
    private static NetworkTarget mlp;
    private static NetworkTarget built;
    private static DenseDataset data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        engine = Engine.create(DeviceSpec.CPU, 2);
        mlp = new NetworkTarget(new NetworkSession(engine,
                OnnxClassifierImporter.load(TestNets.fixture("mlp").resolve("model.onnx"))));
        data = DataSpec.load("fashion-mnist", "test", 48);
        built = new NetworkTarget(new NetworkSession(engine, Families.create("mlp", 0.25).build(new long[] {1, 28, 28},
                10, 17L, NetworkDescriptor.Mode.INFERENCE)));
    }

    /** The PyTorch mlp fixture, or a seeded, untrained mlp built here (most of its points are misclassified). */
    private static NetworkTarget target(String name) {
        return name.equals("fixture") ? mlp : built;
    }

    @AfterAll
    static void tearDown() {
        mlp.session().close();
        built.session().close();
        engine.close();
    }

    /** Every attack, with small budgets. */
    private static List<Attack> everyAttack(boolean earlyStop) {
        AttackOptions o = AttackOptions.of(0.1, Norm.LINF).withSteps(5).withApgdIterations(5).withFabIterations(5)
                .withSquareQueries(60).withEarlyStop(earlyStop);
        List<Attack> out = new ArrayList<>();
        for (String name : Attacks.names()) {
            out.add(Attacks.create(name, o));
        }
        return out;
    }

    private static DenseDataset relabelled(int[] labels) {
        return new DenseDataset(data.data(), data.exampleShape(), labels, data.labelNames(), data.featureNames(),
                data.provenance(), "relabelled");
    }

    /** Accuracy of saved examples, predicted afresh by the model. */
    private static double accuracy(NetworkTarget t, float[] examples, int[] labels) {
        int n = labels.length;
        float[] z = new float[n * 10];
        t.logits(examples, n, z);
        int[] p = Scores.predictions(z, n, 10);
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += p[i] == labels[i] ? 1 : 0;
        }
        return c / (double) n;
    }

    private static void savedExamplesWitnessTheFigures(NetworkTarget t, RobustnessEvaluation e, int[] labels) {
        AdversarialExamples ex = e.examples();
        assertEquals(e.robustAccuracy(), accuracy(t, ex.data(), labels), 1e-12, "worst case");
        if (ex.stability().data() != null) {
            assertEquals(e.perturbationStability(), accuracy(t, ex.stability().data(), ex.cleanPredictions()), 1e-12,
                    "worst-case stability");
        }
        for (Map.Entry<String, AttackSummary> en : e.perAttack().entrySet()) {
            AdversarialExamples.PerAttack pa = ex.perAttack().get(en.getKey());
            assertEquals(en.getValue().robustAccuracy(), accuracy(t, pa.data(), labels), 1e-12, en.getKey());
            // the attack's own examples, run through the model again, agree with the clean predictions on exactly
            // the reported stability
            assertEquals(en.getValue().stability(), accuracy(t, pa.stability().data(), ex.cleanPredictions()),
                    1e-12, en.getKey() + " stability");
            assertTrue(en.getValue().robustAccuracy() <= e.naturalAccuracy(), en.getKey());
            assertTrue(en.getValue().robustAccuracy() <= en.getValue().stability(), en.getKey());
            assertTrue(e.robustAccuracy() <= en.getValue().robustAccuracy(), en.getKey());
        }
    }

    /** Finding 1: labels = the model's second choice, so no point is classified correctly; 0% under every attack. */
    @ParameterizedTest
    @ValueSource(strings = {"fixture", "built"})
    void pointsMisclassifiedCleanAreRobustUnderNoAttack(String model) {
        NetworkTarget t = target(model);
        int n = data.size();
        float[] z = new float[n * 10];
        t.logits(data.data(), n, z);
        int[] second = new int[n];
        for (int i = 0; i < n; i++) {
            second[i] = Scores.ranking(z, i, 10)[1];
        }
        RobustnessEvaluation e = new RobustnessEvaluator(everyAttack(false), 32, 3L, false, 1)
                .withPerAttackExamples(true).evaluate(t, relabelled(second));
        assertEquals(0.0, e.naturalAccuracy());
        assertEquals(0.0, e.robustAccuracy());
        assertEquals(Attacks.names().size(), e.perAttack().size());
        for (AttackSummary s : e.perAttack().values()) {
            assertEquals(0.0, s.robustAccuracy(), s.name());
            assertEquals(0, s.outsideThreatModel(), s.name());
        }
        savedExamplesWitnessTheFigures(t, e, second);
    }

    /** Finding 1 on the true labels: the saved examples reproduce every reported accuracy exactly. */
    @ParameterizedTest
    @ValueSource(strings = {"fixture", "built"})
    void savedExamplesReproduceEveryReportedAccuracy(String model) {
        NetworkTarget t = target(model);
        int[] y = data.labels();
        RobustnessEvaluation e = new RobustnessEvaluator(everyAttack(false), 32, 3L, false, 1)
                .withPerAttackExamples(true).evaluate(t, data);
        assertTrue(e.naturalAccuracy() >= e.robustAccuracy());
        savedExamplesWitnessTheFigures(t, e, y);
    }

    /** Finding 2: early stop changes no figure but time and queries. */
    @ParameterizedTest
    @ValueSource(strings = {"fixture", "built"})
    void earlyStopChangesNoFigureButTime(String model) {
        NetworkTarget t = target(model);
        AttackOptions o = AttackOptions.of(0.05, Norm.LINF).withSteps(10).withApgdIterations(10);
        List<Attack> plain = new ArrayList<>();
        List<Attack> early = new ArrayList<>();
        for (String name : List.of("pgd", "pgd-kl", "pgd-cw", "apgd-ce", "apgd-t")) {
            plain.add(Attacks.create(name, o.withEarlyStop(false)));
            early.add(Attacks.create(name, o.withEarlyStop(true)));
        }
        RobustnessEvaluation a = new RobustnessEvaluator(plain, 48, 9L, false, 1).evaluate(t, data);
        RobustnessEvaluation b = new RobustnessEvaluator(early, 48, 9L, false, 1).evaluate(t, data);
        assertEquals(a.robustAccuracy(), b.robustAccuracy());
        assertEquals(a.perturbationStability(), b.perturbationStability());
        assertEquals(a.perturbations(), b.perturbations());
        for (String k : a.perAttack().keySet()) {
            assertEquals(a.perAttack().get(k).robustAccuracy(), b.perAttack().get(k).robustAccuracy(), k);
            assertEquals(a.perAttack().get(k).stability(), b.perAttack().get(k).stability(), k);
        }
        assertTrue(b.queries() < a.queries(), "early stop saved no work");
    }

    /** AutoAttack on 3 classes: runs the attacks that apply and says which it left out and why. */
    @Test
    void autoattackOnThreeClassesLeavesOutApgdTAndSaysWhy() {
        var net = OnnxClassifierImporter.load(TestNets.write(TestNets.linear(data.exampleShape(), 3, false),
                tmp.resolve("three.onnx")));
        try (NetworkSession s = new NetworkSession(engine, net)) {
            NetworkTarget three = new NetworkTarget(s);
            int[] y = data.labels();
            for (int i = 0; i < y.length; i++) {
                y[i] %= 3;
            }
            DenseDataset d3 = new DenseDataset(data.data(), data.exampleShape(), y, List.of("a", "b", "c"),
                    data.featureNames(), null, "3 classes");
            AttackOptions o = AttackOptions.of(0.1, Norm.LINF).withApgdIterations(5).withFabIterations(5)
                    .withSquareQueries(30);
            RobustnessEvaluation e = new RobustnessEvaluator(List.of(Attacks.create("autoattack", o)), 48, 1L,
                    false, 1).evaluate(three, d3);
            assertTrue(e.warnings().stream().anyMatch(w -> w.contains("left out") && w.contains("apgd-t-5")
                    && w.contains("4 classes")), e.warnings().toString());
            assertTrue(e.robustAccuracy() <= e.naturalAccuracy());
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () ->
                    new RobustnessEvaluator(List.of(Attacks.create("apgd-t", o)), 48, 1L, false, 1)
                            .evaluate(three, d3));
            assertTrue(ex.getMessage().contains("4 classes"), ex.getMessage());
        }
    }

    /** Finding 5: NaN or infinite outputs are an error, not a report. */
    @Test
    void nonFiniteOutputsAreAnError() {
        var net = OnnxClassifierImporter.load(TestNets.write(TestNets.nonFinite(data.exampleShape(), 10),
                tmp.resolve("nan.onnx")));
        try (NetworkSession s = new NetworkSession(engine, net)) {
            NonFiniteOutputException ex = assertThrows(NonFiniteOutputException.class, () ->
                    new RobustnessEvaluator(List.of(Attacks.create("fgsm", AttackOptions.of(0.1, Norm.LINF))))
                            .evaluate(new NetworkTarget(s), data));
            assertTrue(ex.getMessage().contains("not finite") && ex.getMessage().contains("example 0"),
                    ex.getMessage());
        }
    }
}
