import java.nio.file.Path;
import java.util.List;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.widerobust.datasets.DataSpec;

/**
 * A plain Tribuo program reading the model file that {@code widerobust train} wrote: Tribuo's own
 * {@link Model#deserializeFromFile}, predictions, accuracy, and the training provenance.
 * <p>
 * Run from the repository root (after {@code ./widerobust --help} has built the project):
 * <pre>
 * java -cp "plugin/target/widerobust-plugin-0.1.0-SNAPSHOT.jar:plugin/target/lib/*" docs/examples/ReadModel.java \
 *     runs/smallcnn-k1/model.tribuo fashion-mnist 1000
 * </pre>
 */
public class ReadModel {
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Model<?> any = Model.deserializeFromFile(Path.of(args[0]));
        if (!any.validate(Label.class)) {
            throw new IllegalArgumentException(args[0] + " is not a classifier");
        }
        Model<Label> model = (Model<Label>) any;
        MutableDataset<Label> test = DataSpec.load(args.length > 1 ? args[1] : "fashion-mnist", "test",
                args.length > 2 ? Integer.parseInt(args[2]) : 1000).toDataset();
        List<Prediction<Label>> predictions = model.predict(test);
        LabelEvaluation e = new LabelEvaluator().evaluate(model, predictions, test.getProvenance());
        System.out.printf("%s: %d predictions, first %s, accuracy %.4f%n", model.getClass().getSimpleName(),
                predictions.size(), predictions.get(0).getOutput().getLabel(), e.accuracy());
        System.out.println(ProvenanceUtil.formattedProvenanceString(model.getProvenance()));
    }
}
