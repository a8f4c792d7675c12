package org.widerobust.plugin.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;


/**
 * An exclusive lock on a lock file, held by one process while it works on what the file stands for: an OS lock
 * ({@link FileChannel#tryLock()}, released when its process dies, so a killed process leaves no stale lock) whose file
 * holds the holder's process id, host and start time ({@link RunDirectory#holder} reads it). A sweep holds one per
 * point ({@code locks/POINT.lock} in the study), so that two sweeps into one directory leave a point the other is
 * running alone; {@code attack --save DIR} holds one beside DIR while it attacks and writes.
 */
public final class ProcessLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ProcessLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock if no other process (or other holder in this JVM) has it.
     *
     * @return the lock, or null when another holds it ({@link RunDirectory#holder} names it)
     * @throws IOException if the lock file cannot be created or locked
     */
    public static ProcessLock tryAcquire(Path lockFile) throws IOException {
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
        return new ProcessLock(ch, lock);
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
