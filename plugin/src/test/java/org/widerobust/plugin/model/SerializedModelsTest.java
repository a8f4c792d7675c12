package org.widerobust.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.Option;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java-serialized files are read only when every class in them is on the allow-list. */
class SerializedModelsTest {
    @TempDir
    Path dir;

    @Test
    void allowedClassesAreRead() throws Exception {
        Path f = write(new ArrayList<>(List.of("a", 1)));
        assertEquals(List.of("a", 1), SerializedModels.read(f));
    }

    @Test
    void classesOutsideTheAllowListAreRejected() throws Exception {
        Path f = write(new ArrayList<>(List.of(Option.builder("x").build())));
        assertThrows(InvalidClassException.class, () -> SerializedModels.read(f));
    }

    private Path write(Object o) throws Exception {
        Path f = dir.resolve("m.ser");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(f))) {
            out.writeObject(o);
        }
        return f;
    }
}
