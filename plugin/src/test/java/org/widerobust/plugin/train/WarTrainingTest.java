package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.CpuEngineTest;
import org.widerobust.plugin.train.war.PowerRule;
import org.widerobust.plugin.train.war.RatioRule;

/**
 * The λ-form objectives and λ rules in real training runs: risks, λ, ρ_t and the Lipschitz proxy are recorded; the
 * ratio rule's trajectory survives a kill and resume exactly; validation selects the best epoch.
 */
class WarTrainingTest extends CpuEngineTest {
    private static DenseDataset data() {
        return TrainData.train().first(200);
    }

    private static AdversarialTrainer.Builder war(Path dir) {
        return TrainData.base().method("trades").attackSteps(2).stepSize(0.03).epochs(2).batchSize(40)
                .lambda(1).lambdaRule(RatioRule.builder().referenceRatio(1e-4).interval(1).gamma(0.5).build())
                .checkpointDir(dir);
    }

    @Test
    void pgdLambdaFormRecordsBothRisksAndTheLipschitzProxy() {
        TrainingResult r = TrainData.base().method("pgd").lambda(2).epsilon(0.1).attackSteps(2).epochs(1)
                .build().trainDense(data(), engine, false);
        EpochSummary e = r.epochs().get(0);
        assertTrue(e.naturalRisk() > 0 && Double.isFinite(e.naturalRisk()), e.toString());
        assertTrue(Double.isFinite(e.robustRegularization()), "R_rob = CE(x') - CE(x): " + e);
        assertEquals(2, e.lambdaLast(), 0);
        assertEquals(2, e.lambdaMean(), 1e-12);
        assertTrue(e.localLipschitz() > 0 && Double.isFinite(e.localLipschitz()), e.toString());
        assertEquals(e.naturalRisk() + 2 * e.robustRegularization(), e.loss(), 1e-4, "loss = R_nat + λ R_rob");
        r.model().close();
    }

    @Test
    void naturalTrainingHasNoRobustTerm() {
        TrainingResult r = TrainData.base().build().trainDense(data(), engine, false);
        EpochSummary e = r.epochs().get(0);
        assertEquals(e.loss(), e.naturalRisk(), 1e-9);
        assertTrue(Double.isNaN(e.robustRegularization()) && Double.isNaN(e.lambdaLast()));
        assertThrows(PropertyException.class, () -> TrainData.base().lambdaRule(new PowerRule(1, 1)).build(),
                "a lambda rule needs a robust term");
        r.model().close();
    }

    @Test
    void ratioRuleRaisesLambdaAndResumesExactly(@TempDir Path tmp) throws Exception {
        Path logA = tmp.resolve("a.jsonl");
        TrainingResult straight = war(null).batchLog(logA).build().trainDense(data(), engine, false);
        List<EpochSummary> h = straight.epochs();
        assertTrue(h.get(1).lambdaLast() > 1, "rho_ref tiny: lambda rises, " + h);
        assertTrue(h.get(1).lambdaLast() <= 4 + 1e-12, "default lambda_max = 4 lambda0");
        assertEquals(10, Files.readAllLines(logA).size(), "one line per batch");

        Path dir = tmp.resolve("ckpt");
        Path logB = tmp.resolve("b.jsonl");
        AdversarialTrainer t = war(dir).batchLog(logB).checkpointEvery(2).build();
        t.haltAfterCheckpoint(1, 2);
        assertThrows(TrainingLoop.Halted.class, () -> t.trainDense(data(), engine, false));
        t.haltAfterCheckpoint(-1, -1);
        TrainingResult resumed = t.trainDense(data(), engine, true);
        assertArrayEquals(straight.model().onnxBytes(), resumed.model().onnxBytes());
        assertEquals(h, withoutTimes(resumed.epochs(), h));
        assertEquals(Files.readAllLines(logA), Files.readAllLines(logB), "the batch log of a resumed run");
        double rho = TrainingHistory.referenceRatio(resumed.model().getProvenance(), "resumed");
        assertEquals(h.get(1).robustRegularization() / h.get(1).naturalRisk(), rho, 1e-12);
    }

    /** The histories with the resumed run's wall times replaced by the straight run's (times differ). */
    private static List<EpochSummary> withoutTimes(List<EpochSummary> r, List<EpochSummary> like) {
        return java.util.stream.IntStream.range(0, r.size()).mapToObj(i -> {
            EpochSummary e = r.get(i);
            return new EpochSummary(e.epoch(), e.learningRate(), e.loss(), e.cleanAccuracy(), e.adversarialAccuracy(),
                    e.examples(), like.get(i).seconds(), e.naturalRisk(), e.robustRegularization(), e.lambdaLast(),
                    e.lambdaMean(), e.ratio(), e.localLipschitz(), e.valNaturalAccuracy(), e.valRobustAccuracy(),
                    e.valStability());
        }).toList();
    }

    @Test
    void validationKeepsTheBestEpoch(@TempDir Path tmp) {
        // a fresh trainer each time: a trainer's second train call is its next invocation, with another seed
        java.util.function.Supplier<AdversarialTrainer> b = () -> TrainData.base().method("trades").attackSteps(2)
                .stepSize(0.03).epochs(3).batchSize(40).validationExamples(60).validationSteps(3)
                .learningRateSchedule("cosine").nesterov(true).build();
        TrainingResult r = b.get().trainDense(data(), engine, false);
        assertEquals(60, r.validationExamples());
        assertEquals(3L * 140, r.examples(), "the held-out examples are not trained on");
        assertNotNull(r.bestModel());
        double best = -1;
        int bestEpoch = 0;
        for (EpochSummary e : r.epochs()) {
            assertTrue(e.validated());
            assertTrue(e.valRobustAccuracy() <= e.valNaturalAccuracy() + 1e-12 || e.valStability() < 1, e.toString());
            if (e.valRobustAccuracy() > best) {
                best = e.valRobustAccuracy();
                bestEpoch = e.epoch();
            }
        }
        assertEquals(bestEpoch, r.bestEpoch());
        assertEquals(0.05 * 0.5 * (1 + Math.cos(Math.PI * 2 / 3)), r.epochs().get(2).learningRate(), 1e-15);
        if (bestEpoch == 3) {
            assertArrayEquals(r.model().onnxBytes(), r.bestModel().onnxBytes());
        } else {
            assertFalse(java.util.Arrays.equals(r.model().onnxBytes(), r.bestModel().onnxBytes()));
        }
        // the same seed holds out the same examples and gives the same models
        TrainingResult again = b.get().trainDense(data(), engine, false);
        assertArrayEquals(r.bestModel().onnxBytes(), again.bestModel().onnxBytes());
        assertNull(TrainData.base().build().trainDense(data(), engine, false).bestModel());
        assertThrows(IllegalArgumentException.class, () -> TrainData.base().validationExamples(200).build()
                .trainDense(data(), engine, false));
    }
}
