package org.widerobust.adapters.files;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one home of writing files: every file widerobust writes (models, checkpoints, JSON reports, arrays, images)
 * goes through {@link #write(Path, Body)}. The content goes to a temporary sibling
 * {@code .NAME.RANDOM}{@value #TEMP_SUFFIX} in the same directory, which is flushed to disk ({@code fsync}) and then
 * renamed over the target in one atomic step, after which the directory is synced too. A reader, or a run killed at
 * any moment, therefore sees either the old file or the new one, never a part.
 * <p>
 * The temporary file is created the way a plain new file is ({@code open(O_CREAT)} with mode 0666), so the finished
 * file's permissions follow the user's umask (0644 under the usual umask 022), not the 0600 of
 * {@link Files#createTempFile}.
 */
public final class AtomicFiles {
    /** The suffix of the temporary files of unfinished writes. */
    public static final String TEMP_SUFFIX = ".wr-tmp";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern LEGACY_TEMP = Pattern.compile(
            "\\.(last\\.ckpt|model\\.onnx|model\\.tribuo|train\\.json|.+\\.json)\\d+\\.tmp");

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes the files of a directory into the (empty) directory it is given. */
    @FunctionalInterface
    public interface DirectoryBody<T> {
        T writeInto(Path dir) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes {@code bytes} to {@code file} atomically, creating missing parent directories.
     *
     * @throws IOException if the file cannot be written; the target is then unchanged
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /**
     * Writes what {@code body} produces to {@code file} atomically, creating missing parent directories. The stream
     * handed to {@code body} is buffered; {@code body} must not close it.
     *
     * @throws IOException if {@code body} or the file system fails (a {@link FileSystemException} naming the file);
     *                     the target is then unchanged and the temporary file removed
     */
    public static void write(Path file, Body body) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        if (Files.isDirectory(abs)) {
            throw new FileSystemException(abs.toString(), null, "is a directory");
        }
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(RANDOM.nextLong() >>> 1)
                + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream keepOpen = new FilterOutputStream(Channels.newOutputStream(ch)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                BufferedOutputStream out = new BufferedOutputStream(keepOpen, 1 << 16);
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) { // "File too large", "No space left on device": name the file being written
            FileSystemException named = new FileSystemException(abs.toString(), null, e.getMessage());
            named.initCause(e);
            throw named;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes a whole directory at once: {@code body} fills a new sibling {@code .NAME.RANDOM}{@value #TEMP_SUFFIX}
     * (created as a plain new directory, so its permissions follow the user's umask), which then takes the place of
     * {@code dir}. A directory already at {@code dir} is first renamed aside and deleted only after the new one is in
     * place, so a reader or a killed run sees the old directory or the new one, never a mix of the two: none of the
     * old files survive next to the new ones. Missing parent directories are created.
     *
     * @return what {@code body} returned (for example the files it wrote, under the staging directory)
     * @throws IOException if {@code body} or the file system fails; {@code dir} is then unchanged and the staging
     *                     directory removed
     */
    public static <T> T writeDirectory(Path dir, DirectoryBody<T> body) throws IOException {
        // a symbolic link is followed: the directory it names is replaced, and the link stays
        Path abs = resolve(dir);
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new FileSystemException(abs.toString(), null, "is not a directory");
        }
        recoverDirectory(abs);
        Path staging = parent.resolve("." + abs.getFileName() + "." + Long.toHexString(RANDOM.nextLong() >>> 1)
                + TEMP_SUFFIX);
        Path old = null;
        try {
            Files.createDirectory(staging);
            T result = body.writeInto(staging);
            if (Files.exists(abs)) {
                old = parent.resolve("." + abs.getFileName() + ".old." + Long.toHexString(RANDOM.nextLong() >>> 1)
                        + TEMP_SUFFIX);
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(parent);
            return result;
        } catch (IOException | RuntimeException e) {
            if (old != null && !Files.exists(abs)) {
                Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
                old = null;
            }
            if (e instanceof FileSystemException f) {
                throw renamed(f, staging, abs);
            }
            throw e;
        } finally {
            deleteTree(staging);
            if (old != null) {
                deleteTree(old);
            }
        }
    }

    /**
     * A failure inside a staging directory, named by where the file was going ({@code dir/adversarial.npy}, not
     * {@code .dir.1f3a…wr-tmp/.adversarial.npy.9c2e….wr-tmp}); other failures unchanged.
     */
    private static FileSystemException renamed(FileSystemException f, Path staging, Path dir) {
        if (f.getFile() == null || !Path.of(f.getFile()).startsWith(staging)) {
            return f;
        }
        Path inside = staging.relativize(Path.of(f.getFile()));
        String name = inside.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX)) { // a file's own temporary: .NAME.RANDOM.wr-tmp
            String base = name.substring(1, name.length() - TEMP_SUFFIX.length());
            inside = inside.resolveSibling(base.substring(0, Math.max(0, base.lastIndexOf('.'))));
        }
        FileSystemException named = new FileSystemException(dir.resolve(inside).toString(), null, f.getReason());
        named.initCause(f);
        return named;
    }

    /**
     * A path as the operating system resolves it: symbolic links followed as far as it exists, each before the
     * {@code ..} after it (so {@code link/..} is the parent of the link's target, where a textual
     * {@link Path#normalize()} would give the directory holding the link), then its missing names applied in order.
     * Checks of where a write lands and the write itself use this one reading.
     */
    public static Path resolve(Path p) {
        Path abs = p.toAbsolutePath();
        try {
            return abs.toRealPath();
        } catch (IOException missing) {
            Path parent = abs.getParent();
            if (parent == null) {
                return abs.normalize();
            }
            Path resolvedParent = resolve(parent);
            String name = abs.getFileName().toString();
            if (name.equals("..")) {
                return resolvedParent.getParent() == null ? resolvedParent : resolvedParent.getParent();
            }
            return name.equals(".") ? resolvedParent : resolvedParent.resolve(name);
        }
    }

    /**
     * Clears what a killed {@link #writeDirectory} of {@code abs} left beside it: staging directories are deleted,
     * and an old directory renamed aside is put back if the kill came before the new one took its place.
     */
    private static void recoverDirectory(Path abs) throws IOException {
        String prefix = "." + abs.getFileName() + ".";
        List<Path> left = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(abs.getParent(), p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(TEMP_SUFFIX) && Files.isDirectory(p);
        })) {
            s.forEach(left::add);
        }
        for (Path p : left) {
            boolean old = p.getFileName().toString().startsWith(prefix + "old.");
            if (old && !Files.exists(abs)) {
                Files.move(p, abs, StandardCopyOption.ATOMIC_MOVE);
            } else {
                deleteTree(p);
            }
        }
    }

    /**
     * Deletes a file or a directory tree (links are deleted, not followed); nothing if {@code root} does not exist.
     *
     * @throws IOException at the first entry that cannot be deleted
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Whether {@code name} is the temporary file of an unfinished {@link #write}, or of an unfinished write of
     * widerobust 0.1 ({@code Files.createTempFile(dir, "." + NAME, ".tmp")}: {@code .NAME} + digits + {@code .tmp}).
     */
    public static boolean isTemporary(String name) {
        return name.startsWith(".") && (name.endsWith(TEMP_SUFFIX) || LEGACY_TEMP.matcher(name).matches());
    }

    /**
     * Deletes the temporary files that writes killed before their rename left in {@code dir} (not recursive). Call
     * it only while no other process writes into {@code dir}, e.g. under a run directory's lock.
     *
     * @return the files deleted; empty if {@code dir} does not exist
     */
    public static List<Path> removeLeftovers(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> isTemporary(p.getFileName().toString()))) {
            for (Path p : s) {
                if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    /**
     * Checks, before any expensive work, that a file can be written at {@code file}: creates missing parent
     * directories and creates and deletes a probe file next to it. This is a real write, so it holds for root as
     * for other users and on read-only file systems.
     *
     * @throws IOException with a one-line reason if it cannot (a parent is a regular file, no permission,
     *                     read-only file system, {@code file} is a directory)
     */
    public static void checkWritableFile(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IOException(file + " is a directory");
        }
        probe(abs.getParent(), file);
    }

    /**
     * Checks, before any expensive work, that files can be written into {@code dir}: creates it if missing and
     * creates and deletes a probe file in it.
     *
     * @throws IOException with a one-line reason if it cannot
     */
    public static void checkWritableDirectory(Path dir) throws IOException {
        probe(dir.toAbsolutePath(), dir);
    }

    /**
     * Checks, before any expensive work, that a directory can be created (or, if it exists, written into) without
     * creating it: a command that fails later on other arguments then leaves no empty directory behind. The probe
     * file goes into the directory itself if it exists, else into its nearest existing ancestor.
     *
     * @throws IOException with a one-line reason if it cannot
     */
    public static void checkCreatableDirectory(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        Path bad = nonDirectoryAncestor(abs);
        if (bad != null) {
            throw new IOException(dir + " cannot be written: " + bad + " is not a directory");
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        probe(existing == null ? abs : existing, dir);
    }

    private static void probe(Path dir, Path shown) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            Path bad = nonDirectoryAncestor(dir);
            throw new IOException(bad != null ? shown + " cannot be written: " + bad + " is not a directory"
                    : shown + " cannot be written: cannot create " + dir + ": " + reason(e));
        }
        Path p = dir.resolve("." + "probe." + Long.toHexString(RANDOM.nextLong() >>> 1) + TEMP_SUFFIX);
        try {
            Files.newByteChannel(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            // Creating a file in an existing directory of a special file system (/proc, /sys) fails with ENOENT,
            // which would read as if the directory were missing.
            String why = e instanceof NoSuchFileException && Files.isDirectory(dir)
                    ? "its file system does not allow new files" : reason(e);
            throw new IOException(shown + " cannot be written: " + dir + ": " + why);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static Path nonDirectoryAncestor(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** A one-line reason for an I/O failure, e.g. "permission denied" or "read-only file system". */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems (and Windows) cannot sync a directory; the rename itself is still atomic
        }
    }
}
