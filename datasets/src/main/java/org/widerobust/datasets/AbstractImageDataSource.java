package org.widerobust.datasets;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.DataSourceProvenance;
import org.widerobust.adapters.data.DenseDataset;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Logger;

/**
 * Common part of the image data sources: the split, limit and scaling options, the dense view, lazy Tribuo
 * examples, and provenance.
 * <p>
 * Loading happens once, in {@link #postConfig()} (called by OLCUT, or by the public constructors): files are read
 * straight into a {@link DenseDataset} and fully validated before the source can be used; any problem is a
 * {@link DataFormatException} naming the file. Tribuo {@link Example}s are built lazily, one per {@code next()}, from
 * the dense view, with every pixel as a feature (zeros included), named by
 * {@link org.widerobust.adapters.data.PixelFeatureNames}, label names {@code "0" .. "k-1"}.
 */
public abstract class AbstractImageDataSource implements ConfigurableDataSource<Label> {
    private static final Logger logger = Logger.getLogger(AbstractImageDataSource.class.getName());

    /** Value of {@link #limit} meaning all examples. */
    public static final int ALL = -1;

    /** The split to load. */
    @Config(description = "The split to load: TRAIN or TEST.")
    protected Split split = Split.TRAIN;

    /** Keep only the first N examples in file order; -1 keeps all. */
    @Config(description = "Keep only the first N examples in file order (-1 = all).")
    protected int limit = ALL;

    /** Pixel scaling. */
    @Config(description = "Pixel scaling: UNIT (value/255, the default) or RAW (0..255).")
    protected PixelScaling scaling = PixelScaling.UNIT;

    private DenseDataset dense;
    private ImageDataSourceProvenance provenance;

    /** For OLCUT and subclasses. */
    protected AbstractImageDataSource() {}

    /** The result of reading the files. */
    protected static final class Loaded {
        final float[] data;
        final int[] labels;
        final int channels, height, width, numClasses;
        final List<FileRecord> files;

        /**
         * @param data pixels [N, C, H, W].
         * @param labels labels.
         * @param channels C.
         * @param height H.
         * @param width W.
         * @param numClasses number of classes.
         * @param files input files read.
         */
        protected Loaded(float[] data, int[] labels, int channels, int height, int width, int numClasses, List<FileRecord> files) {
            this.data = data;
            this.labels = labels;
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.numClasses = numClasses;
            this.files = List.copyOf(files);
        }
    }

    /**
     * Reads and validates the data. Called once from {@link #postConfig()}.
     * @param maxExamples how many examples to keep at most ({@link Integer#MAX_VALUE} for all).
     * @return the data.
     * @throws DataFormatException on any problem with the files.
     */
    protected abstract Loaded load(int maxExamples);

    /** @return a short name for descriptions, e.g. {@code "idx:/data/mnist"}. */
    protected abstract String describeSource();

    /**
     * Validates the configuration and loads the data. Used by OLCUT; constructors call it too.
     * @throws DataFormatException if the files are missing or malformed.
     * @throws PropertyException if an option is invalid.
     */
    @Override
    public void postConfig() {
        if (split == null) {
            throw new PropertyException("", "split", "split must be TRAIN or TEST");
        }
        if (scaling == null) {
            throw new PropertyException("", "scaling", "scaling must be UNIT or RAW");
        }
        if (limit == 0 || limit < ALL) {
            throw new PropertyException("", "limit", "limit must be at least 1 (or -1 for all), got " + limit);
        }
        validate();
        Loaded l = load(limit == ALL ? Integer.MAX_VALUE : limit);
        if (limit != ALL && l.labels.length < limit) {
            logger.warning(describeSource() + " " + split.label() + ": limit " + limit + " exceeds the "
                    + l.labels.length + " examples available; using all of them");
        }
        String shape = Arrays.toString(new int[]{l.channels, l.height, l.width});
        this.provenance = new ImageDataSourceProvenance(this, l.files, l.labels.length, l.numClasses, shape);
        String desc = describeSource() + " " + split.label() + (limit == ALL ? "" : ", first(" + limit + ")");
        this.dense = DenseDataset.ofImages(l.data, l.channels, l.height, l.width, l.labels,
                DenseDataset.numericLabelNames(l.numClasses), provenance, desc);
    }

    /** Subclass-specific validation of the configuration, before loading. */
    protected void validate() {}

    /**
     * The loaded data as one contiguous array; built once, shared.
     * @return the dense view.
     */
    public DenseDataset dense() {
        if (dense == null) {
            throw new IllegalStateException("Data source not configured (postConfig not called)");
        }
        return dense;
    }

    /** @return number of examples loaded. */
    public int size() {
        return dense().size();
    }

    /** @return the split loaded. */
    public Split split() {
        return split;
    }

    @Override
    public OutputFactory<Label> getOutputFactory() {
        return new LabelFactory();
    }

    @Override
    public DataSourceProvenance getProvenance() {
        dense();
        return provenance;
    }

    /** @return Tribuo examples built lazily from the dense view. */
    @Override
    public Iterator<Example<Label>> iterator() {
        return dense().exampleIterator();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + describeSource() + ", split=" + split + ", limit=" + limit + ", scaling=" + scaling + ")";
    }
}
