package org.widerobust.adapters.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dwiderobust.ort.profile=PREFIX}: ONNX Runtime silently writes no profile into a directory that does not
 * exist, so the engine creates it, and names the property when it cannot.
 */
class ProfilePrefixTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreated() {
        Path prefix = tmp.resolve("prof/sub/p");
        Engine.checkProfilePrefix(prefix.toString());
        assertTrue(Files.isDirectory(prefix.getParent()));
    }

    @Test
    void anUnwritablePrefixIsNamedInOneLine() throws IOException {
        Path file = Files.write(tmp.resolve("file"), new byte[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Engine.checkProfilePrefix(file.resolve("p").toString()));
        assertTrue(e.getMessage().startsWith("-Dwiderobust.ort.profile=" + file.resolve("p") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
