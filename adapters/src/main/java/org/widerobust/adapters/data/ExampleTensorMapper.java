package org.widerobust.adapters.data;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataProvenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps Tribuo {@code Example<Label>}s with numeric features to dense rows and back, given an explicit ordered list of
 * feature names (flat index {@code j} holds feature {@code featureNames.get(j)}) and label names (index {@code k}
 * holds label {@code labelNames.get(k)}).
 * <p>
 * Missing features become 0 (Tribuo stores data sparsely and drops zeros). Features not in the list are ignored and
 * counted, or rejected, according to {@link UnknownFeatures}. An example whose label is not in the list, or is
 * Tribuo's unknown label, is an error. Converting back produces examples holding every feature, zeros included.
 */
public final class ExampleTensorMapper {

    /** What to do with a feature name that is not in the mapper's list. */
    public enum UnknownFeatures {
        /** Skip it (counted in {@link Result#unknownFeatureNames()}). */
        IGNORE,
        /** Throw an {@link IllegalArgumentException} naming the feature and the example. */
        FAIL
    }

    /**
     * A conversion result.
     * @param dataset the dense data.
     * @param unknownFeatureNames distinct feature names that were ignored (empty when none).
     * @param unknownFeatureCount number of ignored feature values over all examples.
     */
    public record Result(DenseDataset dataset, Set<String> unknownFeatureNames, long unknownFeatureCount) {}

    private final String[] featureNames;
    private final long[] exampleShape;
    private final List<String> labelNames;
    private final Map<String, Integer> featureIndex;
    private final Map<String, Integer> labelIndex;
    private final UnknownFeatures unknownPolicy;

    /**
     * @param featureNames ordered feature names, distinct.
     * @param exampleShape shape of one example; product must equal the number of names. Null means
     *                     {@code {C,H,W}} if the names are pixel names ({@link PixelFeatureNames}), else {@code {F}}.
     * @param labelNames ordered label names, distinct.
     * @param unknownPolicy handling of feature names not in {@code featureNames}.
     */
    public ExampleTensorMapper(List<String> featureNames, long[] exampleShape, List<String> labelNames, UnknownFeatures unknownPolicy) {
        this.featureNames = featureNames.toArray(new String[0]);
        if (exampleShape == null) {
            exampleShape = PixelFeatureNames.isPixelNames(featureNames) ? PixelFeatureNames.parseShape(featureNames)
                    : new long[]{featureNames.size()};
        }
        long len = 1;
        for (long d : exampleShape) len *= d;
        if (len != this.featureNames.length) {
            throw new IllegalArgumentException("Shape " + Arrays.toString(exampleShape) + " does not match " + featureNames.size() + " feature names");
        }
        this.exampleShape = exampleShape.clone();
        this.featureIndex = new HashMap<>(this.featureNames.length * 2);
        for (int i = 0; i < this.featureNames.length; i++) {
            if (featureIndex.put(this.featureNames[i], i) != null) {
                throw new IllegalArgumentException("Duplicate feature name " + this.featureNames[i]);
            }
        }
        this.labelNames = List.copyOf(labelNames);
        this.labelIndex = new HashMap<>();
        for (int i = 0; i < labelNames.size(); i++) {
            if (labelIndex.put(labelNames.get(i), i) != null) {
                throw new IllegalArgumentException("Duplicate label name " + labelNames.get(i));
            }
        }
        this.unknownPolicy = unknownPolicy;
    }

    /**
     * A mapper for a dataset's own features and labels: features in the order of its {@code ImmutableFeatureMap}
     * ids (sorted names), labels in the order of its {@code ImmutableOutputInfo} ids.
     * @param dataset a Tribuo dataset.
     * @return the mapper (unknown features fail; there are none for this dataset).
     */
    public static ExampleTensorMapper forDataset(Dataset<Label> dataset) {
        var fmap = dataset.getFeatureIDMap();
        List<String> names = new ArrayList<>(fmap.size());
        for (int i = 0; i < fmap.size(); i++) names.add(fmap.get(i).getName());
        return new ExampleTensorMapper(names, null, labelNamesOf(dataset.getOutputIDInfo()), UnknownFeatures.FAIL);
    }

    /**
     * A mapper with the same feature names, shape and labels as a dense dataset.
     * @param dense the dataset.
     * @return the mapper (unknown features ignored).
     */
    public static ExampleTensorMapper forDense(DenseDataset dense) {
        return new ExampleTensorMapper(dense.featureNames(), dense.exampleShape(), dense.labelNames(), UnknownFeatures.IGNORE);
    }

    /**
     * Label names in id order of a Tribuo output info.
     * @param info the output info (ids must be {@code 0..size-1}).
     * @return the names.
     */
    public static List<String> labelNamesOf(ImmutableOutputInfo<Label> info) {
        String[] names = new String[info.size()];
        for (var p : info) {
            int id = p.getA();
            if (id < 0 || id >= names.length) {
                throw new IllegalArgumentException("Output ids are not 0.." + (names.length - 1) + ": found " + id);
            }
            names[id] = p.getB().getLabel();
        }
        return List.of(names);
    }

    /** @return the feature names in index order. */
    public List<String> featureNames() { return List.of(featureNames); }

    /** @return the label names in index order. */
    public List<String> labelNames() { return labelNames; }

    /** @return a copy of the example shape. */
    public long[] exampleShape() { return exampleShape.clone(); }

    /**
     * Converts a Tribuo dataset.
     * @param dataset the dataset.
     * @return the dense dataset with the dataset's provenance.
     */
    public DenseDataset toDense(Dataset<Label> dataset) {
        return convert(dataset, dataset.size(), dataset.getProvenance(), dataset.getSourceDescription()).dataset();
    }

    /**
     * Converts examples, reporting ignored features.
     * @param examples the examples.
     * @param count how many there are.
     * @param provenance provenance for the result (may be null).
     * @param description description for the result.
     * @return the result.
     */
    public Result convert(Iterable<Example<Label>> examples, int count, DataProvenance provenance, String description) {
        int len = featureNames.length;
        float[] data = new float[Math.multiplyExact(count, len)];
        int[] labels = new int[count];
        Set<String> unknown = new TreeSet<>();
        long unknownCount = 0;
        int i = 0;
        for (Example<Label> ex : examples) {
            if (i >= count) {
                throw new IllegalArgumentException("More than the stated " + count + " examples");
            }
            labels[i] = labelOf(ex, i);
            int off = i * len;
            for (Feature f : ex) {
                Integer j = featureIndex.get(f.getName());
                if (j == null) {
                    if (unknownPolicy == UnknownFeatures.FAIL) {
                        throw new IllegalArgumentException("Example " + i + " has feature '" + f.getName() + "' not in the feature list");
                    }
                    unknown.add(f.getName());
                    unknownCount++;
                } else {
                    data[off + j] = (float) f.getValue();
                }
            }
            i++;
        }
        if (i != count) {
            throw new IllegalArgumentException("Expected " + count + " examples, got " + i);
        }
        DenseDataset dense = new DenseDataset(data, exampleShape, labels, labelNames, List.of(featureNames), provenance, description);
        return new Result(dense, unknown, unknownCount);
    }

    private int labelOf(Example<Label> ex, int i) {
        Label l = ex.getOutput();
        if (l == null || l.equals(LabelFactory.UNKNOWN_LABEL)) {
            throw new IllegalArgumentException("Example " + i + " has no (or the unknown) label");
        }
        Integer k = labelIndex.get(l.getLabel());
        if (k == null) {
            throw new IllegalArgumentException("Example " + i + " has label '" + l.getLabel() + "' not in " + labelNames);
        }
        return k;
    }

    /**
     * One example as a dense row.
     * @param example the example.
     * @return {@code exampleLength} values, missing features 0, unknown features ignored or rejected per policy.
     */
    public float[] toArray(Example<Label> example) {
        float[] row = new float[featureNames.length];
        for (Feature f : example) {
            Integer j = featureIndex.get(f.getName());
            if (j != null) {
                row[j] = (float) f.getValue();
            } else if (unknownPolicy == UnknownFeatures.FAIL) {
                throw new IllegalArgumentException("Feature '" + f.getName() + "' not in the feature list");
            }
        }
        return row;
    }

    /**
     * A dense row as a Tribuo example holding every feature (zeros included).
     * @param values the values.
     * @param offset where the row starts in {@code values}.
     * @param labelIndex its label index.
     * @return the example.
     */
    public Example<Label> toExample(float[] values, int offset, int labelIndex) {
        double[] v = new double[featureNames.length];
        for (int j = 0; j < v.length; j++) v[j] = values[offset + j];
        return new ArrayExample<>(new Label(labelNames.get(labelIndex)), featureNames, v);
    }

    /**
     * All rows of a dense dataset with this mapper's names as examples.
     * @param dense a dataset with the same example length and label set.
     * @return new examples, in order.
     */
    public List<Example<Label>> toExamples(DenseDataset dense) {
        if (dense.exampleLength() != featureNames.length) {
            throw new IllegalArgumentException("Example length " + dense.exampleLength() + " != " + featureNames.length);
        }
        float[] d = dense.data();
        List<Example<Label>> out = new ArrayList<>(dense.size());
        for (int i = 0; i < dense.size(); i++) {
            int k = labelIndex.getOrDefault(dense.labelName(dense.label(i)), -1);
            if (k < 0) throw new IllegalArgumentException("Label '" + dense.labelName(dense.label(i)) + "' not in " + labelNames);
            out.add(toExample(d, i * featureNames.length, k));
        }
        return out;
    }
}
