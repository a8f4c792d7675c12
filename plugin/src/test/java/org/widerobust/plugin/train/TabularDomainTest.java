package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.data.ExampleTensorMapper;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.attack.Scores;
import org.widerobust.plugin.attack.ThreatModelMath;
import org.widerobust.plugin.eval.AttackSummary;
import org.widerobust.plugin.eval.RobustnessEvaluation;
import org.widerobust.plugin.eval.RobustnessEvaluator;

/**
 * Tabular features outside [0, 1]: TRADES trains, the domain is taken from the training data and recorded, and
 * every adversarial point stays within ε of its original, clipped only to the declared per-feature bounds.
 */
class TabularDomainTest {
    private static final int F = 6;
    private static final double EPS = 0.5;
    static MutableDataset<Label> data;
    static NetworkModel model;

    /** Features in [-5, 20] (feature 0 in [10, 20]), three classes by a linear rule. */
    static MutableDataset<Label> tabular(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] names = new String[F];
        for (int j = 0; j < F; j++) {
            names[j] = "f" + j;
        }
        List<org.tribuo.Example<Label>> ex = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] v = new double[F];
            for (int j = 0; j < F; j++) {
                v[j] = j == 0 ? 10 + 10 * r.nextDouble() : -5 + 25 * r.nextDouble();
            }
            double s = v[1] - v[2] + 0.5 * v[3];
            String y = s < -5 ? "low" : s < 8 ? "mid" : "high";
            ex.add(new ArrayExample<>(new Label(y), names, v));
        }
        return new MutableDataset<>(new ListDataSource<>(ex, new LabelFactory(),
                new SimpleDataSourceProvenance("tabular", new LabelFactory())));
    }

    @BeforeAll
    static void train() {
        data = tabular(300, 11);
        model = AdversarialTrainer.builder().network("mlp", 0.25).method("trades").epsilon(EPS).attackSteps(5)
                .epochs(2).batchSize(50).learningRate(0.01).seed(3).device("cpu").threads(2).progress(false)
                .build().train(data);
        model.useDevice(DeviceSpec.CPU);
    }

    @AfterAll
    static void stop() {
        model.close();
    }

    @Test
    void theDomainIsTakenFromTheTrainingDataAndRecorded() {
        float[] d = model.inputDomain();
        assertEquals(2 * F, d.length);
        int f0 = model.featureNames().indexOf("f0");
        assertTrue(d[f0] >= 10 && d[F + f0] <= 20 && d[F + f0] > 19, java.util.Arrays.toString(d));
        for (int j = 0; j < F; j++) {
            assertTrue(d[j] < d[F + j]);
        }
    }

    @Test
    void tradesPerturbationsStayInTheBallAndAreClippedOnlyToTheDeclaredBounds() {
        DenseDataset dense = new ExampleTensorMapper(model.featureNames(), model.exampleShape(), model.labelNames(),
                ExampleTensorMapper.UnknownFeatures.FAIL).toDense(data).first(100);
        float[] x = dense.data();
        int n = dense.size();
        int k = dense.numClasses();
        float[] adv;
        try (Engine engine = Engine.create(DeviceSpec.CPU, 2);
             NetworkSession s = new NetworkSession(engine, model.network())) {
            float[] z = new float[n * k];
            s.logits(x, n, z);
            adv = TradesPerturbation.perturb(s, x, n, Scores.softmax(z, n, k), EPS, 5, EPS / 4, 9);
        }
        float[] d = model.inputDomain();
        int aboveOne = 0;
        for (int i = 0; i < n * F; i++) {
            assertTrue(Math.abs(adv[i] - x[i]) <= EPS + 1e-5, "point " + i + " left its eps-ball");
            assertTrue(adv[i] >= ThreatModelMath.lower(d, i) && adv[i] <= ThreatModelMath.upper(d, i));
            if (adv[i] > 1) {
                aboveOne++;
            }
        }
        assertTrue(aboveOne > n, "no clipping to [0, 1]: " + aboveOne);
    }

    @Test
    void pgdEvaluationStaysInTheThreatModel() {
        RobustnessEvaluator ev = new RobustnessEvaluator(List.of(Attacks.create("pgd", new AttackOptions(EPS,
                Norm.LINF, 10, null, 1, true, false))), 64, 5L, false, 10);
        // the training examples (fresh draws may fall outside the bounds seen in training: a clear error)
        RobustnessEvaluation e = ev.evaluate(model, tabular(300, 11));
        for (AttackSummary s : e.perAttack().values()) {
            assertEquals(0, s.outsideThreatModel(), s.toString());
            assertTrue(s.whiteBox());
        }
        assertTrue(e.perturbations().maxLinf() <= EPS + 1e-5, e.perturbations().toString());
        assertTrue(e.perturbations().maxLinf() > EPS / 2, "the attack moved the points");
    }

    @Test
    void configuredPerFeatureBoundsAreRecordedInTheModel() {
        try (NetworkModel m = AdversarialTrainer.builder().network("mlp", 0.25).inputDomain("none")
                .featureBounds(java.util.Map.of("f0", "0:100", "f3", "-10:30")).epochs(1).device("cpu")
                .progress(false).build().train(tabular(40, 1))) {
            float[] d = m.inputDomain();
            int f0 = m.featureNames().indexOf("f0");
            int f3 = m.featureNames().indexOf("f3");
            int f1 = m.featureNames().indexOf("f1");
            assertEquals(0f, d[f0]);
            assertEquals(100f, d[F + f0]);
            assertEquals(-10f, d[f3]);
            assertEquals(30f, d[F + f3]);
            assertEquals(Float.NEGATIVE_INFINITY, d[f1]);
            assertEquals(Float.POSITIVE_INFINITY, d[F + f1]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdversarialTrainer.builder()
                .network("mlp", 0.25).featureBounds(java.util.Map.of("age", "0:120")).epochs(1).device("cpu")
                .progress(false).build().train(tabular(40, 1)));
        assertTrue(e.getMessage().contains("'age'"), e.getMessage());
        assertThrows(com.oracle.labs.mlrg.olcut.config.PropertyException.class, () -> AdversarialTrainer.builder()
                .featureBounds(java.util.Map.of("f0", "3")).build());
    }

    @Test
    void anExampleOutsideADeclaredDomainIsAnErrorNamingExampleAndFeature() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdversarialTrainer.builder()
                .network("mlp", 0.25).inputDomain("unit").epochs(1).device("cpu").progress(false).build()
                .train(tabular(40, 1)));
        assertTrue(e.getMessage().contains("example 0") && e.getMessage().contains("feature 'f"), e.getMessage());
        assertThrows(com.oracle.labs.mlrg.olcut.config.PropertyException.class,
                () -> AdversarialTrainer.builder().inputDomain("0:x").build());
    }
}
