import java.nio.file.Path;
import java.util.List;

import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.datasets.DataSpec;
import org.widerobust.plugin.attack.Norm;
import org.widerobust.plugin.attack.Pgd;
import org.widerobust.plugin.eval.EvaluationListener;
import org.widerobust.plugin.eval.RobustnessEvaluation;
import org.widerobust.plugin.eval.RobustnessEvaluator;
import org.widerobust.plugin.model.LoadedModel;
import org.widerobust.plugin.model.ModelLoader;

/**
 * Attacks your own ONNX classifier (for example a PyTorch export: one float input {@code [N, ...]}, logits
 * {@code [N, K]}) from Java, as {@code widerobust evaluate --model FILE} does: the engine, the model loader (which
 * finds the logits, steps back over a final Softmax and says so in its warnings), the binding to the data (shapes
 * and labels checked), and PGD-20 at ε in the data's [0, 1] units.
 * <p>
 * Run from the repository root (after {@code ./widerobust --help} has built the project):
 * <pre>
 * java -cp "plugin/target/widerobust-plugin-0.1.0-SNAPSHOT.jar:plugin/target/lib/*" docs/examples/EvaluateOnnx.java \
 *     my-model.onnx fashion-mnist 1000 0.1
 * </pre>
 */
public class EvaluateOnnx {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        DenseDataset test = DataSpec.load(args.length > 1 ? args[1] : "fashion-mnist", "test",
                args.length > 2 ? Integer.parseInt(args[2]) : 1000);
        double eps = args.length > 3 ? Double.parseDouble(args[3]) : 0.1;
        RobustnessEvaluator evaluator = new RobustnessEvaluator(List.of(new Pgd(eps, Norm.LINF, 20, 0, "ce")));
        try (Engine engine = Engine.create(DeviceSpec.CPU, 0);
             LoadedModel model = ModelLoader.load(file, engine)) {
            LoadedModel.Bound bound = model.bind(test);
            // the six-argument form adds the loader's warnings (a final Softmax, a fixed batch, ...) to the report
            RobustnessEvaluation r = evaluator.evaluate(bound.target(), bound.data(), bound.model(),
                    EvaluationListener.NONE, engine.deviceDescription(), model.warnings());
            System.out.printf("%s: natural accuracy %.4f, robust accuracy %.4f, stability %.4f (%s)%n",
                    model.description(), r.naturalAccuracy(), r.robustAccuracy(), r.perturbationStability(),
                    bound.whiteBox() ? "white-box" : "black-box");
            r.warnings().forEach(w -> System.out.println("warning: " + w));
        }
    }
}
