package org.widerobust.adapters.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** An environment created elsewhere without global pools: sessions fall back to their own threads. */
class ForeignEnvironmentTest {
    @Test
    void fallsBackToPerSessionThreads() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ForeignEnvironmentMain.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("DEVICE cpu (2 threads per session)"), out);
        assertTrue(out.contains("without global thread pools"), out);
        assertTrue(out.contains("RESULT -1.5 2.0"), out);
    }
}
