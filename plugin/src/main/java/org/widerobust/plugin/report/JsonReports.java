package org.widerobust.plugin.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.widerobust.adapters.files.AtomicFiles;

/** JSON output with one shared mapper; files are written atomically by {@link AtomicFiles}. */
public final class JsonReports {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReports() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serialises {@code value} (maps, lists, records, numbers, strings) and writes it atomically to {@code file}. */
    public static void write(Path file, Object value) {
        try {
            writeAtomically(file, MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes bytes atomically with the umask's permissions; see {@link AtomicFiles#write(Path, byte[])}.
     *
     * @throws IOException if the file cannot be written (the target is then unchanged)
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        AtomicFiles.write(file, bytes);
    }
}
