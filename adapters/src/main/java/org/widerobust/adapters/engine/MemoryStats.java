package org.widerobust.adapters.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process as the Linux kernel reports it in {@code /proc/self/status}, which counts
 * native allocations (ONNX Runtime's arenas, direct buffers) that the Java heap statistics miss. On systems
 * without {@code /proc} the methods return -1.
 */
public final class MemoryStats {
    private static final Path STATUS = Path.of("/proc/self/status");

    private MemoryStats() {}

    /** Peak resident set size ({@code VmHWM}) in bytes, or -1 when unavailable. */
    public static long peakResidentBytes() {
        return read("VmHWM:");
    }

    /** Current resident set size ({@code VmRSS}) in bytes, or -1 when unavailable. */
    public static long currentResidentBytes() {
        return read("VmRSS:");
    }

    private static long read(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    // e.g. "VmHWM:	  123456 kB"
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    long v = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
