package org.widerobust.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.datasets.DataSpec;
import org.widerobust.plugin.attack.AttackOptions;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.eval.RobustnessEvaluation;
import org.widerobust.plugin.eval.RobustnessEvaluator;

/** A Tribuo logistic regression attacked black-box through {@link TribuoModelTarget}. */
class TribuoModelTargetTest {
    static Model<Label> model;
    static DenseDataset test;

    @BeforeAll
    static void train() {
        MutableDataset<Label> train = DataSpec.load("fashion-mnist", "train", 3000).toDataset();
        model = new LogisticRegressionTrainer().train(train);
        test = DataSpec.load("fashion-mnist", "test", 48);
    }

    @Test
    void scoresAreTheModelsProbabilitiesInLabelIdOrder() {
        TribuoModelTarget t = new TribuoModelTarget(model, test.featureNames(), test.exampleShape(),
                new float[] {0, 1});
        assertEquals(10, t.numClasses());
        float[] s = new float[2 * 10];
        t.logits(test.data(), 2, s);
        var p = model.predict(test.toDataset().getExample(0));
        for (Label l : p.getOutputScores().values()) {
            assertEquals(l.getScore(), s[model.getOutputIDInfo().getID(l)], 1e-6);
        }
        assertEquals(2, t.queries());
    }

    @Test
    void squareAttackLowersAccuracyThroughTribuosEvaluatorInterface() {
        var square = Attacks.create("square", AttackOptions.of(0.1, Norm.LINF).withSquareQueries(150));
        RobustnessEvaluator ev = new RobustnessEvaluator(List.of(square), 48, 5L, false, 1);
        RobustnessEvaluation e = ev.evaluate(model, test.toDataset());
        assertTrue(e.naturalAccuracy() > 0.6, e.toString());
        assertTrue(e.robustAccuracy() < e.naturalAccuracy() - 0.1, e.toString());
        assertTrue(e.queries() > 0);
        assertTrue(Double.isNaN(e.zeroGradientFraction()));
        assertEquals(model.getProvenance(), e.getProvenance().getModelProvenance());
        assertFalse(e.perAttack().values().iterator().next().whiteBox());
    }

    @Test
    void whiteBoxAttacksOnATribuoModelAreRejected() {
        var pgd = Attacks.create("pgd", AttackOptions.of(0.1, Norm.LINF));
        RobustnessEvaluator ev = new RobustnessEvaluator(List.of(pgd));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> ev.evaluate(model, test.first(4).toDataset()));
        assertTrue(ex.getMessage().contains("needs gradients"), ex.getMessage());
    }
}
