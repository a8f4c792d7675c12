package org.widerobust.datasets;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 and CIFAR-100 in the "binary version" distributed by the CIFAR authors.
 * <p>
 * CIFAR-10: {@code data_batch_1.bin} ... {@code data_batch_5.bin} (train, read in that order) and
 * {@code test_batch.bin}; each record is 1 label byte (0..9) then 3072 pixel bytes (1024 red, 1024 green, 1024 blue,
 * each 32x32 row-major). CIFAR-100: {@code train.bin} and {@code test.bin}; each record is a coarse label byte
 * (0..19), a fine label byte (0..99), then 3072 pixel bytes; {@code labelType} selects which label is used. The
 * files may be in {@code directory} itself or in its subdirectory {@code cifar-10-batches-bin} /
 * {@code cifar-100-binary} (as unpacked from the tarball). Files must be uncompressed.
 * <p>
 * Checks: every file exists, its size is a positive multiple of the record size (otherwise it is truncated or not
 * a CIFAR binary file of this variant), and every label is in range.
 */
public final class CifarDataSource extends AbstractImageDataSource {

    /** The data set. */
    public enum Variant {
        /** CIFAR-10, 10 classes. */ CIFAR10,
        /** CIFAR-100, 20 coarse or 100 fine classes. */ CIFAR100
    }

    /** Which CIFAR-100 label to use. */
    public enum LabelType {
        /** The 100 fine classes (the default). */ FINE,
        /** The 20 superclasses. */ COARSE
    }

    private static final int PIXELS = 3 * 32 * 32;

    @Config(mandatory = true, description = "Directory holding the .bin files (or their cifar-10-batches-bin / cifar-100-binary subdirectory).")
    private Path directory;

    @Config(description = "CIFAR10 or CIFAR100.")
    private Variant variant = Variant.CIFAR10;

    @Config(description = "For CIFAR100: FINE (100 classes) or COARSE (20 classes).")
    private LabelType labelType = LabelType.FINE;

    /** For OLCUT. */
    private CifarDataSource() {}

    /**
     * Loads a split.
     * @param directory the directory.
     * @param variant CIFAR-10 or CIFAR-100.
     * @param labelType fine or coarse (CIFAR-100 only; ignored for CIFAR-10).
     * @param split the split.
     * @param limit first N examples in file order, or {@link #ALL}.
     * @param scaling pixel scaling.
     * @throws DataFormatException if files are missing or malformed.
     */
    public CifarDataSource(Path directory, Variant variant, LabelType labelType, Split split, int limit, PixelScaling scaling) {
        this.directory = directory;
        this.variant = variant;
        this.labelType = labelType;
        this.split = split;
        this.limit = limit;
        this.scaling = scaling;
        postConfig();
    }

    @Override
    protected void validate() {
        if (directory == null) throw new PropertyException("", "directory", "directory is required");
        if (variant == null) throw new PropertyException("", "variant", "variant must be CIFAR10 or CIFAR100");
        if (labelType == null) throw new PropertyException("", "labelType", "labelType must be FINE or COARSE");
    }

    @Override
    protected String describeSource() {
        return (variant == Variant.CIFAR10 ? "cifar10:" : labelType == LabelType.COARSE ? "cifar100-coarse:" : "cifar100:") + directory;
    }

    private int numClasses() {
        return variant == Variant.CIFAR10 ? 10 : labelType == LabelType.FINE ? 100 : 20;
    }

    /** @return the files to read, in order. */
    List<Path> resolveFiles() {
        if (!Files.exists(directory)) throw new DataFormatException(directory, "directory does not exist");
        if (!Files.isDirectory(directory)) throw new DataFormatException(directory, "not a directory");
        List<String> names = new ArrayList<>();
        if (variant == Variant.CIFAR10) {
            if (split == Split.TRAIN) {
                for (int i = 1; i <= 5; i++) names.add("data_batch_" + i + ".bin");
            } else {
                names.add("test_batch.bin");
            }
        } else {
            names.add(split == Split.TRAIN ? "train.bin" : "test.bin");
        }
        Path dir = directory;
        if (!Files.exists(dir.resolve(names.get(0)))) {
            Path sub = directory.resolve(variant == Variant.CIFAR10 ? "cifar-10-batches-bin" : "cifar-100-binary");
            if (Files.exists(sub.resolve(names.get(0)))) dir = sub;
        }
        List<Path> out = new ArrayList<>();
        for (String n : names) {
            Path p = dir.resolve(n);
            if (!Files.exists(p)) throw new DataFormatException(p, "file does not exist (" + describeSource() + " " + split.label() + " split)");
            out.add(p);
        }
        return out;
    }

    @Override
    protected Loaded load(int maxExamples) {
        List<Path> files = resolveFiles();
        int header = variant == Variant.CIFAR10 ? 1 : 2;
        int rec = header + PIXELS;
        long total = 0;
        long[] counts = new long[files.size()];
        for (int f = 0; f < files.size(); f++) {
            Path p = files.get(f);
            long size;
            try {
                size = Files.size(p);
            } catch (java.io.IOException e) {
                throw new DataFormatException(p, "cannot read file: " + e.getMessage(), e);
            }
            if (size == 0 || size % rec != 0) {
                throw new DataFormatException(p, "size " + size + " is not a positive multiple of the " + rec + "-byte "
                        + (variant == Variant.CIFAR10 ? "CIFAR-10" : "CIFAR-100") + " record: truncated or not a "
                        + (variant == Variant.CIFAR10 ? "CIFAR-10" : "CIFAR-100") + " binary file"
                        + (size % rec == 0 ? "" : " (last record has " + (size % rec) + " bytes)"));
            }
            counts[f] = size / rec;
            total += counts[f];
        }
        int m = (int) Math.min(total, maxExamples);
        float[] data = new float[Math.multiplyExact(m, PIXELS)];
        int[] labels = new int[m];
        float[] table = scaling.table();
        int k = numClasses();
        int labelOffset = variant == Variant.CIFAR100 && labelType == LabelType.FINE ? 1 : 0;
        List<FileRecord> records = new ArrayList<>();
        byte[] buf = new byte[rec];
        int done = 0;
        int[] got = new int[1];
        for (int f = 0; f < files.size(); f++) {
            try (SourceFile sf = SourceFile.open(files.get(f))) {
                if (sf.isGzip()) {
                    throw new DataFormatException(sf.path(), "gzip-compressed; CIFAR binary files must be uncompressed");
                }
                for (long r = 0; r < counts[f]; r++) {
                    if (!sf.readFully(buf, 0, rec, got)) {
                        throw new DataFormatException(sf.path(), "truncated while reading record " + r);
                    }
                    for (int h = 0; h < header; h++) {
                        int lim = variant == Variant.CIFAR10 ? 10 : h == 0 ? 20 : 100;
                        int l = buf[h] & 0xFF;
                        if (l >= lim) {
                            throw new DataFormatException(sf.path(), (variant == Variant.CIFAR10 ? "label " : h == 0 ? "coarse label " : "fine label ")
                                    + l + " of record " + r + " is out of range [0, " + lim + ")");
                        }
                    }
                    if (done < m) {
                        labels[done] = buf[labelOffset] & 0xFF;
                        int off = done * PIXELS;
                        for (int i = 0; i < PIXELS; i++) data[off + i] = table[buf[header + i] & 0xFF];
                        done++;
                    }
                }
                records.add(sf.finish(files.get(f).getFileName().toString().replaceFirst("\\.bin$", "")));
            }
        }
        return new Loaded(data, labels, 3, 32, 32, k, records);
    }
}
