package org.widerobust.adapters.data;

import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataProvenance;

import java.nio.FloatBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A whole split of labelled numeric data as one contiguous {@code float[]}.
 * <p>
 * Layout: C order, {@code [N, exampleShape...]}, e.g. {@code [N, C, H, W]} for images or {@code [N, F]} for flat
 * vectors; example {@code i} occupies {@code data[i*L .. (i+1)*L)} with {@code L = exampleLength()}. Labels are
 * integers {@code 0 .. numClasses()-1} indexing {@link #labelNames()}; that index order is the one the engine uses
 * for logits, and {@link #outputInfo()} gives a Tribuo {@link ImmutableOutputInfo} with exactly these ids.
 * Feature {@code j} of every example is named {@code featureNames().get(j)}.
 * <p>
 * Instances are immutable by contract: the arrays are not copied on construction and {@link #data()} returns the
 * backing array for zero-copy reads, which callers must not modify. Subsets ({@link #first(int)},
 * {@link #randomSubset(int, long)}, {@link #classBalanced(int, long)}) copy the selected rows and record what was
 * taken in {@link #description()}. Built once per split and shared; thread-safe for reads.
 */
public final class DenseDataset {
    private final float[] data;
    private final long[] exampleShape;
    private final int exampleLength;
    private final int size;
    private final int[] labels;
    private final List<String> labelNames;
    private final List<String> featureNames;
    private final DataProvenance provenance;
    private final String description;
    private volatile Map<String, Integer> labelIndex;

    /**
     * Wraps arrays without copying them.
     * @param data {@code size * exampleLength} values, C order.
     * @param exampleShape shape of one example, e.g. {@code {1, 28, 28}} or {@code {784}}.
     * @param labels one label index per example, each in {@code [0, labelNames.size())}.
     * @param labelNames label names in index order (distinct).
     * @param featureNames one name per element of an example, in flat index order.
     * @param provenance where the data came from (may be null for ad-hoc data).
     * @param description a short human-readable note of how this view was derived (e.g. the source and subset).
     */
    public DenseDataset(float[] data, long[] exampleShape, int[] labels, List<String> labelNames,
                        List<String> featureNames, DataProvenance provenance, String description) {
        if (exampleShape.length == 0) {
            throw new IllegalArgumentException("Example shape must have at least one dimension");
        }
        long len = 1;
        for (long d : exampleShape) {
            if (d < 1) {
                throw new IllegalArgumentException("Invalid example shape " + Arrays.toString(exampleShape));
            }
            len *= d;
        }
        if (len > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Example too large: " + Arrays.toString(exampleShape));
        }
        this.exampleLength = (int) len;
        if ((long) labels.length * exampleLength != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values but " + labels.length
                    + " examples of shape " + Arrays.toString(exampleShape) + " need " + ((long) labels.length * exampleLength));
        }
        if (featureNames.size() != exampleLength) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for examples of length " + exampleLength);
        }
        if (labelNames.isEmpty()) {
            throw new IllegalArgumentException("At least one label name is required");
        }
        if (labelNames.stream().distinct().count() != labelNames.size()) {
            throw new IllegalArgumentException("Label names must be distinct: " + labelNames);
        }
        int k = labelNames.size();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("Label " + labels[i] + " of example " + i + " outside [0, " + k + ")");
            }
        }
        this.data = data;
        this.exampleShape = exampleShape.clone();
        this.size = labels.length;
        this.labels = labels;
        this.labelNames = List.copyOf(labelNames);
        this.featureNames = Collections.unmodifiableList(Arrays.asList(featureNames.toArray(new String[0])));
        this.provenance = provenance;
        this.description = description == null ? "" : description;
    }

    /**
     * An image dataset with pixel feature names from {@link PixelFeatureNames#of(int, int, int)}.
     * @param data pixels, {@code [N, C, H, W]}.
     * @param channels C.
     * @param height H.
     * @param width W.
     * @param labels label indices.
     * @param labelNames label names in index order.
     * @param provenance provenance, may be null.
     * @param description a short note.
     * @return the dataset.
     */
    public static DenseDataset ofImages(float[] data, int channels, int height, int width, int[] labels,
                                        List<String> labelNames, DataProvenance provenance, String description) {
        return new DenseDataset(data, new long[]{channels, height, width}, labels, labelNames,
                Arrays.asList(PixelFeatureNames.of(channels, height, width)), provenance, description);
    }

    /**
     * Label names {@code "0" .. "k-1"}.
     * @param k number of classes.
     * @return the names.
     */
    public static List<String> numericLabelNames(int k) {
        String[] names = new String[k];
        for (int i = 0; i < k; i++) names[i] = Integer.toString(i);
        return List.of(names);
    }

    /** @return number of examples N. */
    public int size() { return size; }

    /** @return number of floats per example (product of {@link #exampleShape()}). */
    public int exampleLength() { return exampleLength; }

    /** @return a copy of the shape of one example, e.g. {@code {1, 28, 28}}. */
    public long[] exampleShape() { return exampleShape.clone(); }

    /**
     * The shape of a batch of {@code n} examples: {@code {n, exampleShape...}}.
     * @param n batch size.
     * @return the tensor shape.
     */
    public long[] batchShape(int n) {
        long[] s = new long[exampleShape.length + 1];
        s[0] = n;
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return s;
    }

    /** @return the shape of the whole data array, {@code {N, exampleShape...}}. */
    public long[] shape() { return batchShape(size); }

    /** @return number of classes (length of {@link #labelNames()}). */
    public int numClasses() { return labelNames.size(); }

    /**
     * @param index a label index.
     * @return its name.
     */
    public String labelName(int index) { return labelNames.get(index); }

    /** @return label names in index order. */
    public List<String> labelNames() { return labelNames; }

    /**
     * @param name a label name.
     * @return its index, or -1 if unknown.
     */
    public int labelIndex(String name) {
        Map<String, Integer> m = labelIndex;
        if (m == null) {
            m = new HashMap<>();
            for (int i = 0; i < labelNames.size(); i++) m.put(labelNames.get(i), i);
            labelIndex = m;
        }
        return m.getOrDefault(name, -1);
    }

    /** @return feature names in flat index order (unmodifiable). */
    public List<String> featureNames() { return featureNames; }

    /** @return provenance of the data, possibly null. */
    public DataProvenance provenance() { return provenance; }

    /** @return how this view was derived, e.g. {@code "fashion-mnist train, first(1000)"}. */
    public String description() { return description; }

    /**
     * The backing array, for zero-copy reads (e.g. {@code FloatBuffer.wrap}). Do not modify.
     * @return the data, length {@code size() * exampleLength()}.
     */
    public float[] data() { return data; }

    /**
     * @param i example index.
     * @return its label index.
     */
    public int label(int i) { return labels[i]; }

    /** @return a copy of all label indices. */
    public int[] labels() { return labels.clone(); }

    /**
     * One value.
     * @param example example index.
     * @param feature flat feature index.
     * @return the value.
     */
    public float get(int example, int feature) {
        if (feature < 0 || feature >= exampleLength) throw new IndexOutOfBoundsException("feature " + feature);
        return data[Math.multiplyExact(Objects.checkIndex(example, size), exampleLength) + feature];
    }

    /** @return number of examples per label index. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int l : labels) counts[l]++;
        return counts;
    }

    /**
     * Copies examples {@code [from, to)} into {@code dst} starting at offset 0.
     * @param from first example (inclusive).
     * @param to last example (exclusive).
     * @param dst destination, at least {@code (to-from)*exampleLength()} long.
     */
    public void copyBatch(int from, int to, float[] dst) {
        checkRange(from, to);
        System.arraycopy(data, from * exampleLength, dst, 0, (to - from) * exampleLength);
    }

    /**
     * Puts examples {@code [from, to)} into {@code dst} at its position, advancing it.
     * @param from first example (inclusive).
     * @param to last example (exclusive).
     * @param dst destination buffer (e.g. direct, for ONNX Runtime).
     */
    public void copyBatch(int from, int to, FloatBuffer dst) {
        checkRange(from, to);
        dst.put(data, from * exampleLength, (to - from) * exampleLength);
    }

    /**
     * Copies the listed examples, in order, into {@code dst} from offset 0.
     * @param indices example indices.
     * @param dst destination, at least {@code indices.length*exampleLength()} long.
     */
    public void copyBatch(int[] indices, float[] dst) {
        int off = 0;
        for (int i : indices) {
            System.arraycopy(data, Objects.checkIndex(i, size) * exampleLength, dst, off, exampleLength);
            off += exampleLength;
        }
    }

    /**
     * Puts the listed examples, in order, into {@code dst} at its position, advancing it.
     * @param indices example indices.
     * @param dst destination buffer.
     */
    public void copyBatch(int[] indices, FloatBuffer dst) {
        for (int i : indices) {
            dst.put(data, Objects.checkIndex(i, size) * exampleLength, exampleLength);
        }
    }

    /**
     * Copies one example.
     * @param i example index.
     * @param dst destination.
     * @param dstOffset where to write in {@code dst}.
     */
    public void copyExample(int i, float[] dst, int dstOffset) {
        System.arraycopy(data, Objects.checkIndex(i, size) * exampleLength, dst, dstOffset, exampleLength);
    }

    /**
     * Labels of the listed examples.
     * @param indices example indices.
     * @return their label indices.
     */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int j = 0; j < indices.length; j++) out[j] = labels[Objects.checkIndex(indices[j], size)];
        return out;
    }

    /**
     * Labels of examples {@code [from, to)}.
     * @param from first example.
     * @param to end (exclusive).
     * @return their label indices.
     */
    public int[] labels(int from, int to) {
        checkRange(from, to);
        return Arrays.copyOfRange(labels, from, to);
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("Range [" + from + ", " + to + ") outside [0, " + size + ")");
        }
    }

    /**
     * The listed examples as a new dataset (rows copied), with the same shape, names and provenance.
     * @param indices example indices, in the order wanted.
     * @param what appended to the description, e.g. {@code "first(100)"}.
     * @return the subset.
     */
    public DenseDataset subset(int[] indices, String what) {
        float[] d = new float[Math.multiplyExact(indices.length, exampleLength)];
        copyBatch(indices, d);
        return new DenseDataset(d, exampleShape, labels(indices), labelNames, featureNames, provenance, append(what));
    }

    private String append(String what) {
        return description.isEmpty() ? what : description + ", " + what;
    }

    /**
     * The first {@code n} examples in order (all of them if {@code n >= size()}).
     * @param n how many.
     * @return the subset.
     */
    public DenseDataset first(int n) {
        requireNonNegative(n);
        int m = Math.min(n, size);
        return new DenseDataset(Arrays.copyOf(data, m * exampleLength), exampleShape, Arrays.copyOf(labels, m),
                labelNames, featureNames, provenance, append("first(" + n + ")"));
    }

    /**
     * {@code n} distinct examples chosen uniformly at random with a seed, in ascending index order.
     * @param n how many (capped at {@code size()}).
     * @param seed the seed.
     * @return the subset.
     */
    public DenseDataset randomSubset(int n, long seed) {
        requireNonNegative(n);
        int m = Math.min(n, size);
        int[] order = shuffledOrder(seed);
        int[] pick = Arrays.copyOf(order, m);
        Arrays.sort(pick);
        return subset(pick, "random(" + n + ", seed=" + seed + ")");
    }

    /**
     * A class-balanced subset of {@code n} examples: each class gets {@code n / k} examples (the first
     * {@code n % k} classes one more), chosen at random with the seed; a class with too few examples contributes all
     * it has. Result in ascending index order.
     * @param n how many.
     * @param seed the seed.
     * @return the subset.
     */
    public DenseDataset classBalanced(int n, long seed) {
        requireNonNegative(n);
        int k = numClasses();
        int[] quota = new int[k];
        for (int c = 0; c < k; c++) quota[c] = n / k + (c < n % k ? 1 : 0);
        int[] order = shuffledOrder(seed);
        int[] pick = new int[Math.min(n, size)];
        int m = 0;
        for (int i : order) {
            int l = labels[i];
            if (quota[l] > 0 && m < pick.length) {
                quota[l]--;
                pick[m++] = i;
            }
        }
        pick = Arrays.copyOf(pick, m);
        Arrays.sort(pick);
        return subset(pick, "classBalanced(" + n + ", seed=" + seed + ")");
    }

    private static void requireNonNegative(int n) {
        if (n < 0) throw new IllegalArgumentException("Subset size must be non-negative, got " + n);
    }

    /**
     * A seeded permutation of {@code 0 .. size()-1} (Fisher-Yates with {@link SplittableRandom}).
     * @param seed the seed; the same seed gives the same order.
     * @return the permutation.
     */
    public int[] shuffledOrder(long seed) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Mini-batches of example indices for one epoch.
     * @param batchSize examples per batch.
     * @param seed shuffle seed (e.g. {@code baseSeed + epoch}); use {@link #sequentialBatches(int)} for no shuffling.
     * @param dropLast whether to drop a final batch smaller than {@code batchSize}.
     * @return the batches.
     */
    public List<int[]> epochBatches(int batchSize, long seed, boolean dropLast) {
        return split(shuffledOrder(seed), batchSize, dropLast);
    }

    /**
     * Batches of example indices in file order (for evaluation).
     * @param batchSize examples per batch; the last batch may be smaller.
     * @return the batches.
     */
    public List<int[]> sequentialBatches(int batchSize) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        return split(order, batchSize, false);
    }

    private static List<int[]> split(int[] order, int batchSize, boolean dropLast) {
        if (batchSize < 1) throw new IllegalArgumentException("Batch size must be positive, got " + batchSize);
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < order.length; s += batchSize) {
            int e = Math.min(order.length, s + batchSize);
            if (dropLast && e - s < batchSize) break;
            out.add(Arrays.copyOfRange(order, s, e));
        }
        return out;
    }

    /**
     * Same labels, names and provenance with new values (e.g. adversarial examples). The array is not copied.
     * @param newData {@code size()*exampleLength()} values.
     * @param what appended to the description.
     * @return the new dataset.
     */
    public DenseDataset withData(float[] newData, String what) {
        return new DenseDataset(newData, exampleShape, labels, labelNames, featureNames, provenance, append(what));
    }

    /**
     * A Tribuo output info whose ids equal this dataset's label indices.
     * @return the output info.
     */
    public ImmutableOutputInfo<Label> outputInfo() {
        Map<Label, Integer> mapping = new HashMap<>();
        for (int i = 0; i < labelNames.size(); i++) mapping.put(new Label(labelNames.get(i)), i);
        return new LabelFactory().constructInfoForExternalModel(mapping);
    }

    /**
     * Example {@code i} as a Tribuo example holding every feature, zeros included.
     * @param i example index.
     * @return a new example.
     */
    public Example<Label> example(int i) {
        int off = Objects.checkIndex(i, size) * exampleLength;
        double[] values = new double[exampleLength];
        for (int j = 0; j < exampleLength; j++) values[j] = data[off + j];
        return new ArrayExample<>(new Label(labelNames.get(labels[i])), featureNameArray(), values);
    }

    private volatile String[] nameArray;

    private String[] featureNameArray() {
        String[] a = nameArray;
        if (a == null) {
            a = featureNames.toArray(new String[0]);
            nameArray = a;
        }
        return a;
    }

    /**
     * A lazy list view: each {@code get} builds a new example (nothing is cached).
     * @return the examples.
     */
    public List<Example<Label>> toExamples() {
        return new AbstractList<>() {
            @Override
            public Example<Label> get(int index) { return example(index); }

            @Override
            public int size() { return size; }
        };
    }

    /**
     * An iterator that builds examples one at a time.
     * @return the iterator.
     */
    public Iterator<Example<Label>> exampleIterator() {
        return new Iterator<>() {
            int next = 0;

            @Override
            public boolean hasNext() { return next < size; }

            @Override
            public Example<Label> next() {
                if (next >= size) throw new NoSuchElementException();
                return example(next++);
            }
        };
    }

    /**
     * All examples in a Tribuo {@link MutableDataset} with this provenance (or an empty-source provenance when
     * there is none). Costly for large data: prefer the dense view.
     * @return the Tribuo dataset.
     */
    public MutableDataset<Label> toDataset() {
        DataProvenance p = provenance != null ? provenance
                : new org.tribuo.provenance.SimpleDataSourceProvenance(description.isEmpty() ? "DenseDataset" : description, new LabelFactory());
        MutableDataset<Label> ds = new MutableDataset<>(p, new LabelFactory());
        for (int i = 0; i < size; i++) ds.add(example(i));
        return ds;
    }

    @Override
    public String toString() {
        return "DenseDataset(" + description + ", shape=" + Arrays.toString(shape()) + ", classes=" + numClasses() + ")";
    }
}
