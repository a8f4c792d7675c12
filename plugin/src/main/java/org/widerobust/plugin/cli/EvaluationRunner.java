package org.widerobust.plugin.cli;

import java.util.List;

import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.engine.EngineException;
import org.widerobust.datasets.DataFormatException;
import org.widerobust.datasets.DataSpec;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.eval.EvaluationListener;
import org.widerobust.plugin.eval.NonFiniteOutputException;
import org.widerobust.plugin.eval.RobustnessEvaluation;
import org.widerobust.plugin.eval.RobustnessEvaluator;
import org.widerobust.plugin.model.LoadedModel;
import org.widerobust.plugin.model.ModelLoadException;
import org.widerobust.plugin.model.ModelLoader;

/** Loads the data, the model and the attacks an {@link EvaluationOptions} names, and runs the evaluation. */
final class EvaluationRunner {
    /**
     * What a run produced.
     *
     * @param evaluation the result
     * @param data       the clean data, labels aligned with the model's classes
     * @param model      a description of the model
     * @param device     where it ran
     * @param whiteBox   whether gradients were available
     * @param attacks    the attacks, in run order
     */
    record Run(RobustnessEvaluation evaluation, DenseDataset data, String model, String device, boolean whiteBox,
               List<Attack> attacks, float[] inputBounds) {}

    private EvaluationRunner() {}

    static Run run(EvaluationOptions o, String task) {
        return run(o, task, false);
    }

    /**
     * As {@link #run(EvaluationOptions, String)}; {@code perAttackExamples} keeps every attack's own adversarial
     * examples (for {@code attack --save}).
     */
    static Run run(EvaluationOptions o, String task, boolean perAttackExamples) {
        List<Attack> attacks;
        try {
            attacks = Attacks.createAll(o.attacks(), o.attackOptions());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        DenseDataset data;
        try {
            data = DataSpec.load(o.data(), o.split(), o.limit());
        } catch (DataFormatException e) {
            throw new CliException("cannot load --data " + o.data() + ": " + e.getMessage(), e);
        }
        Engine engine;
        try {
            engine = Engine.create(o.device(), o.threads());
        } catch (EngineException e) {
            throw new CliException("--device " + o.device() + ": " + e.getMessage(), e);
        }
        try (engine; LoadedModel loaded = ModelLoader.load(o.model(), engine, o.output())) {
            LoadedModel.Bound b = loaded.bind(data);
            List<String> warnings = new java.util.ArrayList<>(loaded.warnings());
            // said at once on stderr, before a run whose figures it voids (the report's table repeats it on stdout)
            String covering = org.widerobust.plugin.model.InputDomain.coveringBudgetWarning("--eps",
                    o.attackOptions().eps(), o.attackOptions().norm() == org.widerobust.plugin.attack.Norm.LINF,
                    b.target().inputBounds(), b.data().exampleLength());
            if (covering != null) {
                System.err.println("widerobust: warning: " + covering);
            }
            attacks = WhiteBoxSkip.apply(attacks, b.whiteBox(), loaded.gradientBlockers(), loaded.description(),
                    warnings);
            for (Attack a : attacks) {
                String reason = a.unsupportedReason(b.target());
                if (reason != null) {
                    throw new CliException("--attack: " + reason);
                }
            }
            RobustnessEvaluator ev = new RobustnessEvaluator(attacks, o.batch(), o.seed(), o.lipschitz(),
                    o.lipschitzSteps()).withPerAttackExamples(perAttackExamples)
                    .withLipschitzEpsilon(o.lipschitzEps());
            EvaluationListener progress = new ConsoleProgress(task);
            RobustnessEvaluation e;
            try {
                e = ev.evaluate(b.target(), b.data(), b.model(), progress, engine.deviceDescription(),
                        warnings);
            } catch (NonFiniteOutputException nf) {
                throw new CliException(loaded.description() + " (" + o.model() + "): " + nf.getMessage()
                        + "; no figure is reported", nf);
            }
            return new Run(e, b.data(), loaded.description(), engine.deviceDescription(), b.whiteBox(), attacks,
                    b.target().inputBounds());
        } catch (ModelLoadException e) {
            throw new CliException(e.getMessage(), e);
        }
    }
}
