package org.widerobust.plugin.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.widerobust.plugin.attack.AttackTarget;

/**
 * Any Tribuo classification {@link Model} as a black-box {@link AttackTarget}: dense rows become {@link Example}s
 * (feature {@code j} named {@code featureNames.get(j)}, zeros included), {@link Model#predict(Iterable)} scores
 * them, and the scores come back in the model's label-id order ({@link Model#getOutputIDInfo()}). Scores are
 * probabilities for models that generate them, else whatever per-label scores the model reports.
 */
public final class TribuoModelTarget implements AttackTarget {
    private final Model<Label> model;
    private final String[] featureNames;
    private final long[] exampleShape;
    private final float[] bounds;
    private final ImmutableOutputInfo<Label> outputs;
    private final int numClasses;
    private long queries;

    /**
     * @param model        the classifier
     * @param featureNames the feature name of each position of a dense row
     * @param exampleShape the shape of one dense row
     * @param bounds       the valid input box {@code {min, max}}
     * @throws ModelLoadException if the model knows none of the features, or reports no per-label scores
     */
    public TribuoModelTarget(Model<Label> model, List<String> featureNames, long[] exampleShape, float[] bounds) {
        this.model = model;
        this.featureNames = featureNames.toArray(new String[0]);
        this.exampleShape = exampleShape.clone();
        this.bounds = bounds.clone();
        this.outputs = model.getOutputIDInfo();
        this.numClasses = outputs.size();
        if (Shapes.length(exampleShape) != featureNames.size()) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for examples of shape "
                    + Shapes.text(exampleShape));
        }
        checkFeatures(model.getFeatureIDMap());
        checkScores();
    }

    private void checkFeatures(ImmutableFeatureMap fmap) {
        int known = 0;
        for (String f : featureNames) {
            if (fmap.getID(f) >= 0) {
                known++;
            }
        }
        if (known == 0) {
            throw new ModelLoadException("shape mismatch: the Tribuo model '" + model.getName() + "' knows "
                    + fmap.size() + " features, none of which are in the data (" + featureNames.length
                    + " features, examples of shape " + Shapes.text(exampleShape) + ")");
        }
        if (fmap.size() != featureNames.length) {
            throw new ModelLoadException("shape mismatch: the Tribuo model '" + model.getName() + "' has "
                    + fmap.size() + " features but the data has " + featureNames.length + " (examples of shape "
                    + Shapes.text(exampleShape) + ")");
        }
    }

    private void checkScores() {
        float[] probe = new float[featureNames.length];
        java.util.Arrays.fill(probe, (bounds[0] + bounds[1]) / 2);
        Prediction<Label> p = model.predict(example(probe, 0));
        if (p.getOutputScores().size() < numClasses) {
            throw new ModelLoadException("the Tribuo model '" + model.getName() + "' ("
                    + model.getClass().getSimpleName() + ") reports " + p.getOutputScores().size() + " score(s) for "
                    + numClasses + " labels; a score-based attack needs a score for every label");
        }
    }

    /** The wrapped model. */
    public Model<Label> model() {
        return model;
    }

    @Override
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    @Override
    public int exampleLength() {
        return featureNames.length;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public float[] inputBounds() {
        return bounds.clone();
    }

    @Override
    public void logits(float[] x, int n, float[] out) {
        List<Example<Label>> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            examples.add(example(x, i * featureNames.length));
        }
        List<Prediction<Label>> ps = model.predict(examples);
        for (int i = 0; i < n; i++) {
            Map<String, Label> scores = ps.get(i).getOutputScores();
            for (Label l : scores.values()) {
                int id = outputs.getID(l);
                if (id >= 0) {
                    out[i * numClasses + id] = (float) l.getScore();
                }
            }
        }
        queries += n;
    }

    private Example<Label> example(float[] x, int offset) {
        double[] v = new double[featureNames.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = x[offset + j];
        }
        return new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, featureNames, v);
    }

    @Override
    public long queries() {
        return queries;
    }
}
