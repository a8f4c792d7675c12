package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.widerobust.adapters.files.AtomicFiles;

/**
 * A field report: a write that hit the file-size limit ended in "failed: java.io.IOException: File too large" and a
 * stack trace naming no file. An I/O failure anywhere in a command's chain of causes is one line naming the file.
 */
class IoErrorMessageTest {
    @Test
    void anIoFailureIsFoundThroughWrappersAndNamesTheFile(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path f = tmp.resolve("eval.json");
        IOException written = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> AtomicFiles.write(f, out -> {
                    throw new IOException("File too large");
                }));
        RuntimeException wrapped = new IllegalStateException("evaluation", new UncheckedIOException(written));
        assertSame(written, Main.ioCause(wrapped));
        assertEquals(f.toAbsolutePath() + ": File too large", Main.describe(Main.ioCause(wrapped)));
        assertEquals("/x/y: No space left on device",
                Main.describe(new FileSystemException("/x/y", null, "No space left on device")));
        assertNull(Main.ioCause(new IllegalStateException("not I/O")));
    }
}
