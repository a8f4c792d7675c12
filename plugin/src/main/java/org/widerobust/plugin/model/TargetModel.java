package org.widerobust.plugin.model;

import java.net.URL;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.RealInfo;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.interop.ExternalDatasetProvenance;
import org.tribuo.interop.ExternalTrainerProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.plugin.attack.AttackTarget;

/**
 * A Tribuo {@link Model} view of an {@link AttackTarget} that is not a Tribuo model (e.g. an imported ONNX
 * network), so that Tribuo's evaluators and provenance can describe it. Predictions carry the softmax of the
 * target's scores (or the scores themselves if they already are probabilities). Not serializable in a useful way:
 * the target is transient.
 */
public final class TargetModel extends Model<Label> {
    private static final long serialVersionUID = 1L;
    private final transient AttackTarget target;

    private TargetModel(String name, ModelProvenance provenance, ImmutableFeatureMap features,
                        ImmutableOutputInfo<Label> outputs, AttackTarget target) {
        super(name, provenance, features, outputs, true);
        this.target = target;
    }

    /**
     * A view with the data's feature names and labels.
     *
     * @param provenance what the model is, e.g. from {@link #externalProvenance(String, URL, byte[], int, int)}
     */
    public static TargetModel of(String name, AttackTarget target, DenseDataset data, ModelProvenance provenance) {
        List<VariableInfo> infos = new ArrayList<>(data.exampleLength());
        for (String f : data.featureNames()) {
            infos.add(new RealInfo(f));
        }
        return new TargetModel(name, provenance, new ImmutableFeatureMap(infos), data.outputInfo(), target);
    }

    /**
     * Provenance of a model that Tribuo did not train: an {@link ExternalTrainerProvenance} that hashes the model
     * file (or its bytes when there is no file).
     *
     * @param location the file, or null
     * @param bytes    the model's bytes when there is no file (may be null if location is given)
     */
    public static ModelProvenance externalProvenance(String description, URL location, byte[] bytes,
                                                     int numFeatures, int numClasses) {
        ExternalTrainerProvenance trainer = location != null ? new ExternalTrainerProvenance(location)
                : new ExternalTrainerProvenance(bytes == null ? new byte[0] : bytes);
        return new ModelProvenance(TargetModel.class.getName(), OffsetDateTime.now(),
                new ExternalDatasetProvenance(description, new LabelFactory(), false, numFeatures, numClasses),
                trainer);
    }

    /** The target this model views. */
    public AttackTarget target() {
        return target;
    }

    @Override
    public Prediction<Label> predict(Example<Label> example) {
        float[] x = new float[featureIDMap.size()];
        int used = 0;
        for (Feature f : example) {
            int id = featureIDMap.getID(f.getName());
            if (id >= 0) {
                x[id] = (float) f.getValue();
                used++;
            }
        }
        if (used == 0) {
            throw new IllegalArgumentException("example has no feature known to the model");
        }
        int k = target.numClasses();
        float[] s = new float[k];
        target.logits(x, 1, s);
        return prediction(s, 0, k, outputIDInfo, used, example);
    }

    /**
     * A prediction from one row of scores: probabilities are the softmax of the scores unless they already are
     * probabilities.
     */
    public static Prediction<Label> prediction(float[] scores, int offset, int k, ImmutableOutputInfo<Label> outputs,
                                               int numUsed, Example<Label> example) {
        boolean probs = true;
        double sum = 0;
        for (int j = 0; j < k; j++) {
            probs &= scores[offset + j] >= 0;
            sum += scores[offset + j];
        }
        float[] p = new float[k];
        if (probs && Math.abs(sum - 1) <= 1e-3) {
            System.arraycopy(scores, offset, p, 0, k);
        } else {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                m = Math.max(m, scores[offset + j]);
            }
            double z = 0;
            for (int j = 0; j < k; j++) {
                z += Math.exp(scores[offset + j] - m);
            }
            for (int j = 0; j < k; j++) {
                p[j] = (float) (Math.exp(scores[offset + j] - m) / z);
            }
        }
        Map<String, Label> map = new LinkedHashMap<>();
        int best = 0;
        for (int j = 0; j < k; j++) {
            Label l = outputs.getOutput(j);
            map.put(l.getLabel(), new Label(l.getLabel(), p[j]));
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return new Prediction<>(map.get(outputs.getOutput(best).getLabel()), map, numUsed, example, true);
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    @Override
    protected Model<Label> copy(String newName, ModelProvenance newProvenance) {
        return new TargetModel(newName, newProvenance, featureIDMap, outputIDInfo, target);
    }
}
