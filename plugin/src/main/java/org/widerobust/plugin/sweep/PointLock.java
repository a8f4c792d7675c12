package org.widerobust.plugin.sweep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.widerobust.plugin.train.RunDirectory;

/**
 * The exclusive lock of one point of a study, held by the sweep that trains and evaluates it: an OS lock
 * ({@link FileChannel#tryLock()}, released when its process dies, so a killed sweep leaves no stale lock) on
 * {@code locks/POINT.lock} in the study directory, holding the holder's process id, host and start time. A second
 * sweep into the same directory (two shards, or the same command started twice) leaves a point another sweep is
 * running alone, instead of clearing its directory and training it a second time.
 */
final class PointLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private PointLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a point in a study directory. */
    static Path file(Path study, SweepPoint p) {
        return study.resolve("locks").resolve(p.id() + ".lock");
    }

    /**
     * Takes the point's lock if no other sweep holds it.
     *
     * @return the lock, or null when another sweep holds it ({@link RunDirectory#holder} names it)
     * @throws IOException if the lock file cannot be created or locked
     */
    static PointLock tryAcquire(Path lockFile) throws IOException {
        Files.createDirectories(lockFile.getParent());
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held in this JVM
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            return null;
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((RunDirectory.describeThisProcess() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new PointLock(ch, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
