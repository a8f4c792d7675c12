package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.tribuo.provenance.ModelProvenance;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.adapters.network.ParameterGradients;
import org.widerobust.adapters.network.ParameterStore;
import org.widerobust.descriptors.loss.CrossEntropyLoss;
import org.widerobust.descriptors.loss.PgdLambdaLoss;
import org.widerobust.descriptors.loss.Reduction;
import org.widerobust.descriptors.loss.RegularizedObjective;
import org.widerobust.descriptors.network.Families;
import org.widerobust.descriptors.network.Network;
import org.widerobust.descriptors.network.NetworkDescriptor.Mode;
import org.widerobust.plugin.attack.Scores;
import org.widerobust.plugin.train.war.FixedLambda;
import org.widerobust.plugin.train.war.PowerRule;

/**
 * PGD at a fixed λ = 1 on a network without batch norm runs its parameter pass on x' alone (Madry et al.'s
 * cross-entropy), and that is the λ form's gradient on the doubled batch: compared on ONNX Runtime for single passes,
 * with R_nat from the clean logits against the graph's own, and for whole training runs.
 */
class ParameterPassTest extends CpuEngineTest {
    private static final long[] MNIST = {1, 28, 28};
    private static Network net(String family, long[] shape) {
        return Families.create(family, 0.25).build(shape, 10, 3, Mode.TRAINING);
    }

    @Test
    void onlyPgdAtAFixedLambdaOfOneWithoutBatchNormDropsTheCleanHalf() {
        Network cnn = net("smallcnn", MNIST);
        Network mlp = net("mlp", MNIST);
        Network wrn = net("wrn-10", new long[] {3, 32, 32});
        FixedLambda fixed = new FixedLambda();
        assertEquals(ParameterPass.ADVERSARIAL, ParameterPass.of(TrainingMethod.PGD, fixed, 1.0, cnn));
        assertEquals(ParameterPass.ADVERSARIAL, ParameterPass.of(TrainingMethod.PGD, fixed, 1.0, mlp));
        assertEquals(ParameterPass.DOUBLED, ParameterPass.of(TrainingMethod.PGD, fixed, 1.0, wrn),
                "batch norm: the clean half shapes the batch statistics");
        assertEquals(ParameterPass.DOUBLED, ParameterPass.of(TrainingMethod.PGD, fixed, 2.0, cnn),
                "λ ≠ 1: the clean half has a gradient");
        assertEquals(ParameterPass.DOUBLED, ParameterPass.of(TrainingMethod.PGD, new PowerRule(0.5, 1.0), 1.0, cnn),
                "a λ rule may move λ away from 1");
        assertEquals(ParameterPass.DOUBLED, ParameterPass.of(TrainingMethod.TRADES, fixed, 1.0, cnn));
        assertEquals(ParameterPass.CLEAN, ParameterPass.of(TrainingMethod.NATURAL, fixed, 1.0, cnn));
        assertTrue(ParameterPass.ADVERSARIAL.head(TrainingMethod.PGD) instanceof CrossEntropyLoss);
        assertTrue(ParameterPass.DOUBLED.head(TrainingMethod.PGD) instanceof PgdLambdaLoss);
    }

    @Test
    void crossEntropyOnTheAdversarialHalfIsTheLambdaFormAtLambdaOne() {
        Network cnn = net("smallcnn", MNIST);
        ParameterStore store = new ParameterStore(cnn);
        int n = 6;
        int len = cnn.exampleLength();
        SplittableRandom r = new SplittableRandom(11);
        float[] doubled = new float[2 * n * len];
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] = (float) r.nextDouble();
        }
        float[] adversarial = new float[n * len];
        System.arraycopy(doubled, n * len, adversarial, 0, n * len);
        int[] labels = {0, 3, 9, 1, 1, 7};
        float[] clean = new float[n * 10];
        try (NetworkSession session = new NetworkSession(engine, cnn)) {
            session.logits(doubled, n, clean);
        }
        try (ParameterGradients lambdaForm = new ParameterGradients(engine, store, new PgdLambdaLoss(),
                Reduction.MEAN);
             ParameterGradients madry = new ParameterGradients(engine, store, new CrossEntropyLoss(),
                     Reduction.MEAN)) {
            float lambdaLoss = lambdaForm.compute(doubled, 2 * n, labels, 1f);
            float ceAdv = madry.compute(adversarial, n, labels, 0f);
            assertEquals(lambdaLoss, ceAdv, 1e-5, "R_nat + 1·(CE(x') − R_nat) = CE(x')");
            double rNat = Scores.meanCrossEntropy(clean, labels, n, 10);
            assertEquals(lambdaForm.part(RegularizedObjective.NATURAL_RISK), rNat, 1e-5);
            assertEquals(lambdaForm.part(RegularizedObjective.ROBUST_REGULARIZATION), ceAdv - rNat, 1e-5);
            for (String p : cnn.parameters()) {
                float[] a = copy(lambdaForm.gradient(p));
                float[] b = copy(madry.gradient(p));
                double num = 0;
                double den = 1e-30;
                for (int i = 0; i < a.length; i++) {
                    num += (a[i] - b[i]) * (double) (a[i] - b[i]);
                    den += a[i] * (double) a[i];
                }
                assertTrue(Math.sqrt(num / den) < 1e-6, p + ": relative difference " + Math.sqrt(num / den));
            }
        }
    }

    @Test
    void meanCrossEntropyIsLogSumExpMinusTheLabelsLogit() {
        float[] z = {1f, 2f, 3f, 1000f, 0f, -1000f};
        double first = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
        assertEquals((first + 0) / 2, Scores.meanCrossEntropy(z, new int[] {0, 0}, 2, 3), 1e-12,
                "the row maximum is subtracted first, so 1000 does not overflow");
        assertThrows(IllegalArgumentException.class,
                () -> Scores.meanCrossEntropy(z, new int[] {0, 3}, 2, 3));
    }

    private static AdversarialTrainer pgd(ParameterPass pass) {
        AdversarialTrainer t = TrainData.base().network("smallcnn", 0.25).method("pgd").lambda(1.0).attackSteps(2)
                .stepSize(0.03).epochs(1).batchSize(40).build();
        t.parameterPass(pass);
        return t;
    }

    @Test
    void aPgdRunOnTheAdversarialHalfTrainsTheLambdaFormsModel() {
        DenseDataset data = TrainData.train().first(120);
        TrainingResult doubled = pgd(ParameterPass.DOUBLED).trainDense(data, engine, false);
        TrainingResult madry = pgd(null).trainDense(data, engine, false);
        assertEquals(ParameterPass.ADVERSARIAL.description(), madry.parameterPass(), "chosen by the configuration");
        assertEquals(ParameterPass.DOUBLED.description(), doubled.parameterPass());
        ModelProvenance p = madry.model().getProvenance();
        assertEquals(ParameterPass.ADVERSARIAL.description(),
                p.getInstanceProvenance().getMap().get(ModelRunProvenance.PARAMETER_PASS).toString());
        Network a = doubled.model().network();
        Network b = madry.model().network();
        for (String name : a.parameters()) {
            float[] x = values(a, name);
            float[] y = values(b, name);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], 1e-5 + 1e-4 * Math.abs(x[i]), name + "[" + i + "]");
            }
        }
        EpochSummary e1 = doubled.epochs().get(0);
        EpochSummary e2 = madry.epochs().get(0);
        assertEquals(e1.loss(), e2.loss(), 1e-4);
        assertEquals(e1.adversarialAccuracy(), e2.adversarialAccuracy(), 1e-12);
        assertEquals(e1.naturalRisk(), e2.naturalRisk(), 1e-4, "R_nat from the clean logits");
        assertEquals(e1.robustRegularization(), e2.robustRegularization(), 1e-4);
    }

    private static float[] values(Network net, String name) {
        return net.model().getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name))
                .findFirst().map(org.widerobust.descriptors.graph.Tensors::toFloats).orElseThrow();
    }

    private static float[] copy(FloatBuffer b) {
        float[] out = new float[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
