package org.widerobust.datasets;

import org.widerobust.adapters.data.DenseDataset;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The data-spec syntax shared by every {@code widerobust} command, plus {@code --split} and {@code --limit}.
 * <table>
 *   <caption>Specs</caption>
 *   <tr><th>spec</th><th>meaning</th></tr>
 *   <tr><td>{@code fashion-mnist}</td><td>IDX files of Debian's {@code dataset-fashion-mnist} in
 *       {@value #FASHION_MNIST_DIR}, 10 classes</td></tr>
 *   <tr><td>{@code idx:DIR}</td><td>IDX files found by name in DIR ({@link IdxImageDataSource}); number of classes
 *       = largest label + 1</td></tr>
 *   <tr><td>{@code cifar10:DIR}</td><td>CIFAR-10 binary version ({@link CifarDataSource})</td></tr>
 *   <tr><td>{@code cifar100:DIR}</td><td>CIFAR-100 binary version, 100 fine labels</td></tr>
 *   <tr><td>{@code cifar100-coarse:DIR}</td><td>CIFAR-100 binary version, 20 coarse labels</td></tr>
 *   <tr><td>{@code synthetic} or {@code synthetic:N}</td><td>{@link SyntheticImageDataSource}, N examples
 *       (default {@value SyntheticImageDataSource#DEFAULT_SIZE}), seed 42, 1x28x28, 10 classes</td></tr>
 * </table>
 * Split defaults to {@code train}; limit keeps the first N examples in file order. Prefixes are case-insensitive;
 * everything after the first {@code ':'} is the directory. Parsing never touches the file system; problems with the
 * files surface as {@link DataFormatException} from {@link #createSource()} / {@link #load()}.
 */
public final class DataSpec {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

    /** The kinds of data set. */
    public enum Kind {
        /** Debian's Fashion-MNIST. */ FASHION_MNIST,
        /** IDX files in a directory. */ IDX,
        /** CIFAR-10. */ CIFAR10,
        /** CIFAR-100, fine labels. */ CIFAR100,
        /** CIFAR-100, coarse labels. */ CIFAR100_COARSE,
        /** Synthetic images. */ SYNTHETIC
    }

    private static final String SYNTAX = "expected one of: fashion-mnist, idx:DIR, cifar10:DIR, cifar100:DIR, cifar100-coarse:DIR, synthetic, synthetic:N";

    private final Kind kind;
    private final Path directory;
    private final int syntheticSize;
    private final Split split;
    private final int limit;

    private DataSpec(Kind kind, Path directory, int syntheticSize, Split split, int limit) {
        this.kind = kind;
        this.directory = directory;
        this.syntheticSize = syntheticSize;
        this.split = split;
        this.limit = limit;
    }

    /**
     * Parses a spec (split train, no limit).
     * @param spec the spec text.
     * @return the spec.
     * @throws IllegalArgumentException for unknown or malformed specs, with the accepted syntax in the message.
     */
    public static DataSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("Empty data spec; " + SYNTAX);
        }
        String s = spec.trim();
        int colon = s.indexOf(':');
        String prefix = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        switch (prefix) {
            case "fashion-mnist":
                if (arg != null) throw new IllegalArgumentException("'fashion-mnist' takes no argument (use idx:DIR for another directory): '" + spec + "'");
                return new DataSpec(Kind.FASHION_MNIST, Path.of(FASHION_MNIST_DIR), 0, Split.TRAIN, AbstractImageDataSource.ALL);
            case "idx":
                return new DataSpec(Kind.IDX, dir(arg, spec), 0, Split.TRAIN, AbstractImageDataSource.ALL);
            case "cifar10":
                return new DataSpec(Kind.CIFAR10, dir(arg, spec), 0, Split.TRAIN, AbstractImageDataSource.ALL);
            case "cifar100":
                return new DataSpec(Kind.CIFAR100, dir(arg, spec), 0, Split.TRAIN, AbstractImageDataSource.ALL);
            case "cifar100-coarse":
                return new DataSpec(Kind.CIFAR100_COARSE, dir(arg, spec), 0, Split.TRAIN, AbstractImageDataSource.ALL);
            case "synthetic": {
                int n = SyntheticImageDataSource.DEFAULT_SIZE;
                if (arg != null) {
                    try {
                        n = Integer.parseInt(arg.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("Bad size in data spec '" + spec + "': expected synthetic:N with N a positive integer");
                    }
                    if (n < 1) throw new IllegalArgumentException("Bad size in data spec '" + spec + "': N must be positive");
                }
                return new DataSpec(Kind.SYNTHETIC, null, n, Split.TRAIN, AbstractImageDataSource.ALL);
            }
            default:
                throw new IllegalArgumentException("Unknown data spec '" + spec + "'; " + SYNTAX);
        }
    }

    private static Path dir(String arg, String spec) {
        if (arg == null || arg.isBlank()) {
            throw new IllegalArgumentException("Data spec '" + spec + "' needs a directory after the ':'");
        }
        return Path.of(arg.trim());
    }

    /**
     * Parses a spec with split and limit, as given on a command line.
     * @param spec the spec.
     * @param split {@code train} or {@code test}; null means train.
     * @param limit first N examples, or {@link AbstractImageDataSource#ALL} (-1) for all.
     * @return the spec.
     */
    public static DataSpec parse(String spec, String split, int limit) {
        DataSpec d = parse(spec).withSplit(split == null ? Split.TRAIN : Split.parse(split));
        return limit == AbstractImageDataSource.ALL ? d : d.withLimit(limit);
    }

    /**
     * @param s the split.
     * @return a copy with that split.
     */
    public DataSpec withSplit(Split s) {
        return new DataSpec(kind, directory, syntheticSize, Objects.requireNonNull(s, "split"), limit);
    }

    /**
     * @param n keep the first {@code n >= 1} examples in file order.
     * @return a copy with that limit.
     * @throws IllegalArgumentException if {@code n < 1}.
     */
    public DataSpec withLimit(int n) {
        if (n < 1) throw new IllegalArgumentException("--limit must be at least 1, got " + n);
        return new DataSpec(kind, directory, syntheticSize, split, n);
    }

    /** @return the kind. */
    public Kind kind() { return kind; }

    /** @return the directory, or null for synthetic. */
    public Path directory() { return directory; }

    /** @return N for synthetic specs, 0 otherwise. */
    public int syntheticSize() { return syntheticSize; }

    /** @return the split. */
    public Split split() { return split; }

    /** @return the limit, or {@link AbstractImageDataSource#ALL}. */
    public int limit() { return limit; }

    /**
     * Builds and loads the configured Tribuo data source (reads and validates the files).
     * @return the source.
     * @throws DataFormatException if files are missing or malformed.
     */
    public AbstractImageDataSource createSource() {
        switch (kind) {
            case FASHION_MNIST:
                if (!java.nio.file.Files.isDirectory(directory)) {
                    throw new DataFormatException(directory, "directory does not exist; install Debian's dataset-fashion-mnist package"
                            + " (apt-get install dataset-fashion-mnist) or use idx:DIR with a copy of the files");
                }
                return new IdxImageDataSource(directory, split, limit, PixelScaling.UNIT, 10);
            case IDX:
                return new IdxImageDataSource(directory, split, limit, PixelScaling.UNIT, 0);
            case CIFAR10:
                return new CifarDataSource(directory, CifarDataSource.Variant.CIFAR10, CifarDataSource.LabelType.FINE, split, limit, PixelScaling.UNIT);
            case CIFAR100:
                return new CifarDataSource(directory, CifarDataSource.Variant.CIFAR100, CifarDataSource.LabelType.FINE, split, limit, PixelScaling.UNIT);
            case CIFAR100_COARSE:
                return new CifarDataSource(directory, CifarDataSource.Variant.CIFAR100, CifarDataSource.LabelType.COARSE, split, limit, PixelScaling.UNIT);
            case SYNTHETIC:
                return new SyntheticImageDataSource(syntheticSize, split, limit, 42L, 10, 1, 28, 28);
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /**
     * Loads the dense view.
     * @return the data.
     * @throws DataFormatException if files are missing or malformed.
     */
    public DenseDataset load() {
        return createSource().dense();
    }

    /**
     * One call from command-line values to data.
     * @param spec the spec.
     * @param split {@code train} or {@code test} (null = train).
     * @param limit first N, or -1 for all.
     * @return the dense view.
     */
    public static DenseDataset load(String spec, String split, int limit) {
        return parse(spec, split, limit).load();
    }

    /** @return the canonical spec text, e.g. {@code idx:/data/mnist}. */
    public String specText() {
        switch (kind) {
            case FASHION_MNIST: return "fashion-mnist";
            case IDX: return "idx:" + directory;
            case CIFAR10: return "cifar10:" + directory;
            case CIFAR100: return "cifar100:" + directory;
            case CIFAR100_COARSE: return "cifar100-coarse:" + directory;
            default: return "synthetic:" + syntheticSize;
        }
    }

    @Override
    public String toString() {
        return specText() + " --split " + split.label() + (limit == AbstractImageDataSource.ALL ? "" : " --limit " + limit);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DataSpec)) return false;
        DataSpec d = (DataSpec) o;
        return kind == d.kind && Objects.equals(directory, d.directory) && syntheticSize == d.syntheticSize && split == d.split && limit == d.limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, directory, syntheticSize, split, limit);
    }
}
