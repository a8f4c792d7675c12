package org.widerobust.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX and CIFAR files for tests. Pixel value of example i, position j: (i * 7 + j) % 256. */
final class TestFiles {
    private TestFiles() {}

    static int pixel(int i, int j) {
        return (i * 7 + j) % 256;
    }

    static byte[] idxImages(int n, int h, int w) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(0x00000803);
        out.writeInt(n);
        out.writeInt(h);
        out.writeInt(w);
        for (int i = 0; i < n; i++) for (int j = 0; j < h * w; j++) out.writeByte(pixel(i, j));
        return bos.toByteArray();
    }

    static byte[] idxLabels(int... labels) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(0x00000801);
        out.writeInt(labels.length);
        for (int l : labels) out.writeByte(l);
        return bos.toByteArray();
    }

    static Path write(Path p, byte[] content, boolean gzip) throws IOException {
        if (gzip) {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
                o.write(content);
            }
        } else {
            Files.write(p, content);
        }
        return p;
    }

    /** Writes {@code prefix}-images-idx3-ubyte[.gz] and labels with n examples of 4x5, labels i % 3. */
    static void idxPair(Path dir, String prefix, int n, boolean gzip) throws IOException {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 3;
        String ext = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), idxImages(n, 4, 5), gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), idxLabels(labels), gzip);
    }

    /** CIFAR records: label(s) then 3072 pixels; example index offset {@code first}. */
    static byte[] cifar(int first, int n, int... labelBytesPerRecord) {
        int header = labelBytesPerRecord.length;
        byte[] b = new byte[n * (header + 3072)];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < header; h++) b[p++] = (byte) ((labelBytesPerRecord[h] + i) % (h == header - 1 && header == 2 ? 100 : header == 2 ? 20 : 10));
            for (int j = 0; j < 3072; j++) b[p++] = (byte) pixel(first + i, j);
        }
        return b;
    }
}
