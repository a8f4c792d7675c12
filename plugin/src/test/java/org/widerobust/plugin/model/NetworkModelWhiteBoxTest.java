package org.widerobust.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.datasets.DataSpec;
import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.attack.NetworkTarget;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.eval.RobustnessEvaluation;
import org.widerobust.plugin.eval.RobustnessEvaluator;
import org.widerobust.plugin.train.AdversarialTrainer;
import org.widerobust.plugin.train.NetworkModel;

/** A widerobust NetworkModel is attacked white-box through its own graph, with its training provenance. */
class NetworkModelWhiteBoxTest {
    static Engine engine;
    static NetworkModel model;
    static DenseDataset test;

    @BeforeAll
    static void train() {
        engine = Engine.create(DeviceSpec.CPU, 2);
        DenseDataset train = DataSpec.load("synthetic:300", "train", -1);
        test = DataSpec.load("synthetic:64", "test", -1);
        model = AdversarialTrainer.builder().network("mlp", 0.25).method("natural").epochs(1).batchSize(50)
                .learningRate(0.05).seed(7).progress(false).build().trainDense(train, engine, false).model();
        model.useDevice(DeviceSpec.CPU);
    }

    @AfterAll
    static void stop() {
        model.close();
        engine.close();
    }

    private static RobustnessEvaluator pgd() {
        return new RobustnessEvaluator(List.of(Attacks.create("pgd", new AttackOptions(0.1, Norm.LINF, 10, null, 1,
                true, false))), 32, 3L, false, 10);
    }

    @Test
    void evaluatorAttacksTheModelWhiteBoxWithItsTrainingProvenance() {
        MutableDataset<Label> ds = test.toDataset();
        RobustnessEvaluation e = pgd().evaluate(model, ds);
        assertEquals(model.getProvenance(), e.getProvenance().getModelProvenance());
        assertTrue(e.perAttack().values().iterator().next().whiteBox(), e.perAttack().toString());
        assertFalse(e.warnings().stream().anyMatch(w -> w.contains("probabilities")), e.warnings().toString());
        // the same numbers as attacking the network directly
        try (NetworkSession s = new NetworkSession(engine, model.network())) {
            RobustnessEvaluation direct = pgd().evaluate(new NetworkTarget(s), test);
            assertEquals(direct.naturalAccuracy(), e.naturalAccuracy());
            assertEquals(direct.robustAccuracy(), e.robustAccuracy());
        }
    }

    @Test
    void loadedModelFileIsWhiteBox(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = tmp.resolve("model.tribuo");
        model.save(file);
        try (LoadedModel m = ModelLoader.load(file, engine)) {
            LoadedModel.Bound b = m.bind(test);
            assertTrue(b.whiteBox());
            assertEquals(model.getProvenance(), b.model().getProvenance());
        }
    }

    @Test
    void dataOutsideTheDeclaredDomainIsAnErrorNamingExampleAndFeature() {
        float[] x = test.data().clone();
        x[5 * test.exampleLength() + 3] = 2.5f;
        DenseDataset bad = test.withData(x, "one pixel at 2.5");
        try (LoadedModel m = ModelLoader.wrap(model, engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.bind(bad));
            assertTrue(e.getMessage().contains("example 5"), e.getMessage());
            assertTrue(e.getMessage().contains(test.featureNames().get(3)), e.getMessage());
        }
    }
}
