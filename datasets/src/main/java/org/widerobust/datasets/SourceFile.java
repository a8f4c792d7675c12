package org.widerobust.datasets;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One input file read in a single pass: the raw bytes go through a SHA-256 digest, and gzip content (detected by its
 * magic bytes, not by the name) is decompressed on the fly. {@link #finish(String)} drains what is left of the raw
 * file into the digest and returns the {@link FileRecord}. All failures become {@link DataFormatException}s naming
 * the file.
 */
final class SourceFile implements Closeable {
    private final Path path;
    private final InputStream raw;
    private final BufferedInputStream buffered;
    private final MessageDigest digest;
    private final InputStream content;
    private final boolean gzip;
    private final long size;
    private final OffsetDateTime modified;

    private SourceFile(Path path) {
        this.path = path;
        if (!Files.exists(path)) {
            throw new DataFormatException(path, "file does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new DataFormatException(path, "not a regular file");
        }
        try {
            this.size = Files.size(path);
            this.modified = OffsetDateTime.ofInstant(Files.getLastModifiedTime(path).toInstant(), ZoneId.systemDefault());
            this.digest = MessageDigest.getInstance("SHA-256");
            this.raw = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(path, "file does not exist", e);
        } catch (IOException e) {
            throw new DataFormatException(path, "cannot read file: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.buffered = new BufferedInputStream(new DigestInputStream(raw, digest), 1 << 16);
        try {
            buffered.mark(2);
            int b0 = buffered.read(), b1 = buffered.read();
            buffered.reset();
            this.gzip = b0 == 0x1f && b1 == 0x8b;
            this.content = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        } catch (IOException e) {
            closeQuietly();
            throw gzipOrIo(e);
        }
    }

    /**
     * Opens a file.
     * @param path the file.
     * @return the opened file.
     * @throws DataFormatException if it is missing or unreadable, or its gzip header is bad.
     */
    static SourceFile open(Path path) {
        return new SourceFile(path.toAbsolutePath().normalize());
    }

    Path path() { return path; }

    boolean isGzip() { return gzip; }

    long size() { return size; }

    /**
     * Reads exactly {@code len} content bytes.
     * @return false if the content ended first (then {@code count[0]} holds how many were read), true otherwise.
     */
    boolean readFully(byte[] b, int off, int len, int[] count) {
        try {
            int n = content.readNBytes(b, off, len);
            if (count != null) count[0] = n;
            return n == len;
        } catch (IOException e) {
            throw gzipOrIo(e);
        }
    }

    /**
     * Skips the rest of the content, returning how many bytes there were.
     */
    long drainContent() {
        try {
            long n = 0;
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = content.read(buf)) != -1) n += r;
            return n;
        } catch (IOException e) {
            throw gzipOrIo(e);
        }
    }

    /**
     * Reads the rest of the raw file into the digest and closes it.
     * @param role the file's role.
     * @return the record.
     */
    FileRecord finish(String role) {
        try {
            byte[] buf = new byte[1 << 16];
            while (buffered.read(buf) != -1) {
                // digest only
            }
        } catch (IOException e) {
            throw new DataFormatException(path, "cannot read file: " + e.getMessage(), e);
        } finally {
            closeQuietly();
        }
        return new FileRecord(role, path, size, com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil.bytesToHexString(digest.digest()), modified);
    }

    private DataFormatException gzipOrIo(IOException e) {
        if (e instanceof ZipException) {
            return new DataFormatException(path, "unreadable gzip stream: " + e.getMessage(), e);
        }
        if (gzip && e instanceof EOFException) {
            return new DataFormatException(path, "unreadable gzip stream: truncated (" + e.getMessage() + ")", e);
        }
        return new DataFormatException(path, "cannot read file: " + e, e);
    }

    private void closeQuietly() {
        try {
            raw.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
