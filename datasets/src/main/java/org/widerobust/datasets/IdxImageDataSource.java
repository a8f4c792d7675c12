package org.widerobust.datasets;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Images and labels in IDX format (MNIST, Fashion-MNIST, KMNIST, EMNIST-style), gzip-compressed or raw (detected
 * from the content).
 * <p>
 * Files: set {@code imagesFile} and {@code labelsFile} (relative paths resolve against {@code directory}), or just
 * {@code directory}, in which the files are found by name: for the train split a file whose name contains
 * {@code train} and ends with {@code images-idx3-ubyte} (optionally {@code .gz}), for the test split one containing
 * {@code t10k} or {@code test}; the labels file is the same name with {@code labels-idx1-ubyte}. If both a raw and a
 * gzip copy exist the raw one is used; if several different files match (e.g. the EMNIST subsets), set the file names
 * explicitly. A directory with a single images and labels pair whose names name no split ({@code widerobust attack
 * --save}'s {@code adversarial-images-idx3-ubyte}) is read for either split.
 * <p>
 * Format checks: magic number (two zero bytes, type {@code 0x08} unsigned byte, 3 dimensions for images and 1 for
 * labels), image and label counts agree, every label is below {@code numClasses} (when set; otherwise the number of
 * classes is the largest label in the file plus one), and each file holds exactly the bytes its header announces.
 * <p>
 * Pixels become features {@code [1, H, W]} scaled by {@code scaling}.
 */
public final class IdxImageDataSource extends AbstractImageDataSource {
    private static final Pattern IMAGES = Pattern.compile("(.*)images-idx3-ubyte(\\.gz)?");

    @Config(description = "Directory holding the IDX files (used to find them, and to resolve relative file names).")
    private Path directory;

    @Config(description = "The images file (idx3-ubyte, optionally gzip); found in the directory by name if unset.")
    private Path imagesFile;

    @Config(description = "The labels file (idx1-ubyte, optionally gzip); found in the directory by name if unset.")
    private Path labelsFile;

    @Config(description = "Number of classes; labels must be below it. 0 = largest label in the file plus one.")
    private int numClasses = 0;

    /** For OLCUT. */
    private IdxImageDataSource() {}

    /**
     * Loads a split from a directory, finding the files by name.
     * @param directory the directory.
     * @param split the split.
     * @param limit first N examples, or {@link #ALL}.
     * @param scaling pixel scaling.
     * @param numClasses number of classes, or 0 to infer.
     * @throws DataFormatException if the files are missing or malformed.
     */
    public IdxImageDataSource(Path directory, Split split, int limit, PixelScaling scaling, int numClasses) {
        this.directory = directory;
        this.split = split;
        this.limit = limit;
        this.scaling = scaling;
        this.numClasses = numClasses;
        postConfig();
    }

    /**
     * Loads explicit files.
     * @param imagesFile the images file.
     * @param labelsFile the labels file.
     * @param split the split recorded in provenance.
     * @param limit first N examples, or {@link #ALL}.
     * @param scaling pixel scaling.
     * @param numClasses number of classes, or 0 to infer.
     * @throws DataFormatException if the files are missing or malformed.
     */
    public IdxImageDataSource(Path imagesFile, Path labelsFile, Split split, int limit, PixelScaling scaling, int numClasses) {
        this.imagesFile = imagesFile;
        this.labelsFile = labelsFile;
        this.split = split;
        this.limit = limit;
        this.scaling = scaling;
        this.numClasses = numClasses;
        postConfig();
    }

    @Override
    protected void validate() {
        if (numClasses < 0 || numClasses > 256) {
            throw new PropertyException("", "numClasses", "numClasses must be in 0..256, got " + numClasses);
        }
        if ((imagesFile == null) != (labelsFile == null)) {
            throw new PropertyException("", "imagesFile", "set both imagesFile and labelsFile, or neither");
        }
        if (imagesFile == null && directory == null) {
            throw new PropertyException("", "directory", "set directory, or imagesFile and labelsFile");
        }
    }

    @Override
    protected String describeSource() {
        return "idx:" + (directory != null ? directory : imagesFile);
    }

    /** @return the images and labels files to read. */
    Path[] resolveFiles() {
        if (imagesFile != null) {
            Path im = directory != null ? directory.resolve(imagesFile) : imagesFile;
            Path lb = directory != null ? directory.resolve(labelsFile) : labelsFile;
            return new Path[]{im, lb};
        }
        if (!Files.exists(directory)) {
            throw new DataFormatException(directory, "directory does not exist");
        }
        if (!Files.isDirectory(directory)) {
            throw new DataFormatException(directory, "not a directory");
        }
        TreeSet<String> bases = new TreeSet<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(directory)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new DataFormatException(directory, "cannot list directory: " + e.getMessage(), e);
        }
        TreeSet<String> anySplit = new TreeSet<>();
        for (String n : names) {
            Matcher m = IMAGES.matcher(n);
            if (m.matches()) {
                anySplit.add(m.group(1));
                if (matchesSplit(m.group(1))) {
                    bases.add(m.group(1));
                }
            }
        }
        if (bases.isEmpty() && anySplit.size() == 1 && (Files.exists(directory.resolve(anySplit.first()
                + "labels-idx1-ubyte")) || Files.exists(directory.resolve(anySplit.first() + "labels-idx1-ubyte.gz")))) {
            // one data set whose names say no split (attack --save's adversarial-images-idx3-ubyte): that one
            bases.add(anySplit.first());
        }
        if (bases.isEmpty()) {
            throw new DataFormatException(directory, "no IDX images file for the " + split.label() + " split (expected a name like "
                    + (split == Split.TRAIN ? "train" : "t10k") + "-images-idx3-ubyte[.gz]); found " + names);
        }
        if (bases.size() > 1) {
            throw new DataFormatException(directory, "several IDX image files match the " + split.label() + " split: "
                    + bases + "; set imagesFile and labelsFile explicitly");
        }
        String base = bases.first();
        return new Path[]{pick(base + "images-idx3-ubyte"), pick(base + "labels-idx1-ubyte")};
    }

    private boolean matchesSplit(String prefix) {
        String p = prefix.toLowerCase(java.util.Locale.ROOT);
        return split == Split.TRAIN ? p.contains("train") : (p.contains("t10k") || p.contains("test"));
    }

    private Path pick(String name) {
        Path raw = directory.resolve(name);
        if (Files.exists(raw)) return raw;
        Path gz = directory.resolve(name + ".gz");
        if (Files.exists(gz)) return gz;
        throw new DataFormatException(raw, "file does not exist (nor " + gz.getFileName() + ")");
    }

    @Override
    protected Loaded load(int maxExamples) {
        Path[] files = resolveFiles();
        // Labels first: small, and their count is checked against the images header before pixels are allocated.
        int[] allLabels;
        FileRecord labelRecord;
        int classes;
        try (SourceFile lf = SourceFile.open(files[1])) {
            int[] shape = readHeader(lf, 1);
            int n = shape[0];
            byte[] buf = new byte[n];
            int[] got = new int[1];
            if (!lf.readFully(buf, 0, n, got)) {
                throw new DataFormatException(lf.path(), "truncated: header says " + n + " labels, file ends after " + got[0]);
            }
            long extra = lf.drainContent();
            if (extra != 0) {
                throw new DataFormatException(lf.path(), "file is " + extra + " bytes longer than its header says (" + n + " labels)");
            }
            allLabels = new int[n];
            int max = 0;
            for (int i = 0; i < n; i++) {
                int l = buf[i] & 0xFF;
                if (numClasses > 0 && l >= numClasses) {
                    throw new DataFormatException(lf.path(), "label " + l + " of example " + i + " is out of range [0, " + numClasses + ")");
                }
                allLabels[i] = l;
                max = Math.max(max, l);
            }
            labelRecord = lf.finish("labels");
            classes = numClasses > 0 ? numClasses : max + 1;
        }
        try (SourceFile imf = SourceFile.open(files[0])) {
            int[] shape = readHeader(imf, 3);
            int n = shape[0], h = shape[1], w = shape[2];
            if (n != allLabels.length) {
                throw new DataFormatException(imf.path(), "image count " + n + " disagrees with label count "
                        + allLabels.length + " in " + files[1]);
            }
            int m = Math.min(n, maxExamples);
            int len = h * w;
            float[] data = new float[Math.multiplyExact(m, len)];
            float[] table = scaling.table();
            byte[] buf = new byte[Math.max(len, (1 << 16) / len * len)];
            int perChunk = buf.length / len;
            int done = 0;
            int[] got = new int[1];
            while (done < m) {
                int k = Math.min(perChunk, m - done);
                if (!imf.readFully(buf, 0, k * len, got)) {
                    throw new DataFormatException(imf.path(), "truncated: header says " + n + " images of " + h + "x" + w
                            + ", file ends in image " + (done + got[0] / len));
                }
                int off = done * len;
                for (int i = 0, e = k * len; i < e; i++) {
                    data[off + i] = table[buf[i] & 0xFF];
                }
                done += k;
            }
            long rest = imf.drainContent();
            long expected = (long) (n - m) * len;
            if (rest < expected) {
                throw new DataFormatException(imf.path(), "truncated: header says " + n + " images of " + h + "x" + w
                        + ", file ends in image " + (m + rest / len));
            }
            if (rest > expected) {
                throw new DataFormatException(imf.path(), "file is " + (rest - expected) + " bytes longer than its header says ("
                        + n + " images of " + h + "x" + w + ")");
            }
            FileRecord imageRecord = imf.finish("images");
            int[] labels = m == n ? allLabels : java.util.Arrays.copyOf(allLabels, m);
            return new Loaded(data, labels, 1, h, w, classes, List.of(imageRecord, labelRecord));
        }
    }

    private static int[] readHeader(SourceFile f, int dims) {
        byte[] head = new byte[4];
        int[] got = new int[1];
        if (!f.readFully(head, 0, 4, got)) {
            throw new DataFormatException(f.path(), "truncated: only " + got[0] + " bytes, shorter than the 4-byte IDX magic number");
        }
        int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        int expected = 0x0800 | dims;
        if (magic != expected) {
            throw new DataFormatException(f.path(), String.format("wrong magic number 0x%08X, expected 0x%08X (IDX unsigned bytes, %d dimension%s)",
                    magic, expected, dims, dims == 1 ? "" : "s"));
        }
        byte[] sb = new byte[4 * dims];
        if (!f.readFully(sb, 0, sb.length, got)) {
            throw new DataFormatException(f.path(), "truncated in the IDX header");
        }
        int[] shape = new int[dims];
        for (int i = 0; i < dims; i++) {
            shape[i] = ((sb[4 * i] & 0xFF) << 24) | ((sb[4 * i + 1] & 0xFF) << 16) | ((sb[4 * i + 2] & 0xFF) << 8) | (sb[4 * i + 3] & 0xFF);
            if (shape[i] < (i == 0 ? 0 : 1)) {
                throw new DataFormatException(f.path(), "invalid dimension " + shape[i] + " in the IDX header");
            }
        }
        if (dims == 3 && (long) shape[1] * shape[2] > (1 << 24)) {
            throw new DataFormatException(f.path(), "implausible image size " + shape[1] + "x" + shape[2]);
        }
        return shape;
    }
}
