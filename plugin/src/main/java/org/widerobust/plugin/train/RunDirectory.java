package org.widerobust.plugin.train;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.widerobust.adapters.files.AtomicFiles;

/**
 * A training run's output directory, held exclusively for the life of the run.
 * <p>
 * {@link #open} creates the directory, takes an exclusive lock ({@link FileChannel#tryLock()}, an OS lock that dies
 * with its process, so a killed run leaves no stale lock) on {@value #LOCK_FILE} and writes the holder's process id,
 * host and start time into it, so that a second run into the same directory fails naming the first. Under the lock
 * it deletes the temporary files of writes a killed run left behind, and it refuses a directory holding another run
 * (a checkpoint, model or report) unless the run resumes it or overwrites it ({@link #discardPreviousRun}).
 */
public final class RunDirectory implements AutoCloseable {
    /** The lock file inside the run directory. */
    public static final String LOCK_FILE = ".widerobust.lock";
    /** The checkpoint subdirectory. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The per-batch JSON-lines log of a run (λ, ρ_t and both risk parts per batch). */
    public static final String BATCH_LOG = "train-batches.jsonl";
    /**
     * The files that make a directory hold a run, relative to it: a checkpoint or results. A run killed before its
     * first checkpoint leaves only its per-batch log, which cannot be resumed; a fresh run replaces it.
     */
    public static final List<String> RUN_FILES = List.of(CHECKPOINTS + "/" + Checkpoint.FILE, "model.onnx",
            "model.tribuo", "train.json", "best.onnx", "best.tribuo");
    /** Every file a run writes, which {@code --overwrite} deletes, relative to its directory. */
    public static final List<String> ALL_RUN_FILES = java.util.stream.Stream.concat(RUN_FILES.stream(),
            java.util.stream.Stream.of(BATCH_LOG)).toList();

    /** What to do with a directory that holds another run. */
    public enum Mode {
        /** Refuse it. */
        FRESH,
        /** Continue from its checkpoint (which must exist). */
        RESUME,
        /** Delete its files and start afresh. */
        OVERWRITE
    }

    private final Path dir;
    private final Mode mode;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean createdDir;
    private boolean createdCheckpoints;

    private RunDirectory(Path dir, Mode mode, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.mode = mode;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates (if needed), locks and checks a run directory.
     *
     * @param dir  the directory
     * @param mode what to do if it holds another run
     * @param notes  hears one line per temporary file of a killed write that was deleted
     * @return the locked directory; close it when the run ends
     * @throws RunDirectoryException with a one-line message if the directory cannot be created or written, is
     *                               locked by another run (naming its process), holds another run in
     *                               {@link Mode#FRESH}, or has no checkpoint in {@link Mode#RESUME}
     */
    public static RunDirectory open(Path dir, Mode mode, java.util.function.Consumer<String> notes) {
        boolean createdDir = !Files.exists(dir);
        boolean createdCheckpoints = !Files.exists(dir.resolve(CHECKPOINTS));
        try {
            AtomicFiles.checkWritableDirectory(dir);
            AtomicFiles.checkWritableDirectory(dir.resolve(CHECKPOINTS));
        } catch (IOException e) {
            throw new RunDirectoryException(e.getMessage(), e);
        }
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new RunDirectoryException("cannot open the lock file " + lockFile + ": " + AtomicFiles.reason(e),
                    e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another run in this JVM
        } catch (IOException e) {
            closeQuietly(ch);
            throw new RunDirectoryException("cannot lock " + lockFile + ": " + AtomicFiles.reason(e), e);
        }
        if (lock == null) {
            String holder = holder(lockFile);
            closeQuietly(ch);
            throw new RunDirectoryException(dir + " is in use by another training run ("
                    + (holder.isEmpty() ? "holder unknown" : holder) + "); wait for it to finish or choose another "
                    + "--out");
        }
        RunDirectory rd = null;
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((describeThisProcess() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            List<Path> removed = new ArrayList<>(AtomicFiles.removeLeftovers(dir));
            removed.addAll(AtomicFiles.removeLeftovers(dir.resolve(CHECKPOINTS)));
            for (Path p : removed) {
                notes.accept("removed " + p + ", left by a killed write");
            }
            rd = new RunDirectory(dir, mode, ch, lock);
            rd.createdDir = createdDir;
            rd.createdCheckpoints = createdCheckpoints;
            rd.check(mode);
            return rd;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new RunDirectoryException("cannot prepare " + dir + ": " + AtomicFiles.reason(e), e);
        } catch (RuntimeException e) {
            if (rd != null) {
                rd.close();
            } else {
                closeQuietly(ch);
            }
            throw e;
        }
    }

    private void check(Mode mode) throws IOException {
        List<String> present = new ArrayList<>();
        for (String f : RUN_FILES) {
            if (Files.exists(dir.resolve(f))) {
                present.add(f);
            }
        }
        switch (mode) {
            case FRESH -> {
                if (!present.isEmpty()) {
                    throw new RunDirectoryException(dir + " holds another run (" + String.join(", ", present)
                            + "); use --resume to continue it, --overwrite to replace it, or another --out");
                }
            }
            case RESUME -> {
                if (!Files.exists(checkpoint())) {
                    throw new RunDirectoryException("--resume: no checkpoint to resume from: " + checkpoint()
                            + " does not exist (a run stopped before its first checkpoint starts again without "
                            + "--resume)");
                }
            }
            case OVERWRITE -> {
                // deleted by discardPreviousRun, once the caller has validated the rest of its input
            }
            default -> throw new AssertionError(mode);
        }
    }

    /**
     * With {@link Mode#OVERWRITE}: deletes the previous run's files (checkpoint, models, report). Call it once the
     * rest of the input is validated, just before training starts, so a mistake elsewhere loses nothing.
     */
    public void discardPreviousRun() {
        if (mode != Mode.OVERWRITE) {
            return;
        }
        // all or nothing: the files are first moved aside together, and put back if one cannot be (a field report:
        // an undeletable model.onnx stopped the run after its checkpoint was already gone)
        Path aside = dir.resolve(".discarded-" + Long.toHexString(System.nanoTime()));
        List<String> moved = new java.util.ArrayList<>();
        for (String f : ALL_RUN_FILES) {
            Path from = dir.resolve(f);
            if (!Files.exists(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.createDirectories(aside.resolve(f).getParent());
                Files.move(from, aside.resolve(f), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                moved.add(f);
            } catch (IOException e) {
                List<String> stranded = new java.util.ArrayList<>();
                for (String back : moved) {
                    try {
                        Files.move(aside.resolve(back), dir.resolve(back), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException notBack) {
                        stranded.add(back);
                    }
                }
                if (stranded.isEmpty()) {
                    deleteTreeQuietly(aside);
                }
                throw new RunDirectoryException("cannot delete " + from + " of the previous run: "
                        + AtomicFiles.reason(e) + (stranded.isEmpty() ? "; the previous run's files are as they were"
                        : "; " + stranded + " could not be put back and are in " + aside), e);
            }
        }
        deleteTreeQuietly(aside);
    }

    /** Deletes a directory of discarded files; if that fails, a hidden directory of them stays. */
    private static void deleteTreeQuietly(Path root) {
        try {
            AtomicFiles.deleteTree(root);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** The checkpoint directory inside it. */
    public Path checkpointDirectory() {
        return dir.resolve(CHECKPOINTS);
    }

    /** The checkpoint file. */
    public Path checkpoint() {
        return checkpointDirectory().resolve(Checkpoint.FILE);
    }

    /** Releases the lock (the lock file stays; its content names the last holder). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        removeIfNothingWritten();
    }

    /**
     * A run that wrote nothing (it failed validation, or was refused) leaves no trace: its lock file, and the
     * checkpoint directory and run directory it created if they are empty, are removed.
     */
    private void removeIfNothingWritten() {
        for (String f : ALL_RUN_FILES) {
            if (Files.exists(dir.resolve(f))) {
                return;
            }
        }
        try {
            Files.deleteIfExists(dir.resolve(LOCK_FILE));
            if (createdCheckpoints) {
                deleteIfEmpty(dir.resolve(CHECKPOINTS));
            }
            if (createdDir) {
                deleteIfEmpty(dir);
            }
        } catch (IOException ignored) {
            // best effort: what stays is an empty directory and a released lock file
        }
    }

    private static void deleteIfEmpty(Path d) throws IOException {
        if (Files.isDirectory(d)) {
            try (var entries = Files.list(d)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(d);
                }
            }
        }
    }

    /** "pid 1234 on host, started 2026-11-30T10:00:00Z": who holds a lock. */
    /**
     * What a command given a path reads: the path itself, or for a train run's directory its model file
     * {@code name} ({@code model.onnx} or {@code model.tribuo}).
     *
     * @throws IllegalArgumentException naming the directory if it holds no such file
     */
    public static Path modelFile(Path path, String name) {
        if (!Files.isDirectory(path)) {
            return path;
        }
        Path inRun = path.resolve(name);
        if (!Files.isRegularFile(inRun)) {
            throw new IllegalArgumentException(path + " is a directory without a " + name + " (give a model file or "
                    + "a train run's directory)");
        }
        return inRun;
    }

    /** This process for a lock file's holder line: its pid, host and start time. */
    public static String describeThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + ", started "
                + OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    }

    /** The holder line a lock file holds, or empty if it cannot be read. */
    public static String holder(Path lockFile) {
        try {
            return Files.readString(lockFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
