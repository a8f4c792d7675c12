package org.widerobust.plugin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.plugin.cli.Main;

/**
 * The README's "plain Java program": a separate JVM runs {@code docs/examples/ReadModel.java} on the project's
 * classpath against the model file of {@code widerobust train}; it deserializes it with Tribuo, predicts, and
 * prints the training provenance.
 */
class ReadModelExampleTest {
    @Test
    void aPlainTribuoProgramReadsTheCliModelFile(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Main.standard().run(new String[] {"train", "--arch", "mlp", "--width", "0.25", "--data",
                "fashion-mnist", "--limit", "200", "--method", "natural", "--epochs", "1", "--batch", "50",
                "--device", "cpu", "--threads", "1", "--out", run.toString(), "--quiet"}));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", classpath(), "../docs/examples/ReadModel.java",
                run.resolve("model.tribuo").toString(), "fashion-mnist", "50").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("NetworkModel: 50 predictions"), out);
        assertTrue(out.contains("AdversarialTrainer") && out.contains("network-sha256"), out);
    }

    /** docs/examples/EvaluateOnnx.java attacks a PyTorch-exported classifier from a plain Java program. */
    @Test
    void aPlainJavaProgramAttacksAPyTorchExport() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path onnx = org.widerobust.plugin.testing.TestNets.fixture("mlp").resolve("model.onnx");
        Process p = new ProcessBuilder(java, "-cp", classpath(), "../docs/examples/EvaluateOnnx.java",
                onnx.toString(), "fashion-mnist", "40", "0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("natural accuracy") && out.contains("robust accuracy") && out.contains("white-box"),
                out);
    }

    /** This JVM's class path, expanding surefire's manifest-only booter jar. */
    static String classpath() throws Exception {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("surefirebooter") && e.endsWith(".jar")) {
                try (JarFile j = new JarFile(e)) {
                    String cp = j.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String u : cp.trim().split("\\s+")) {
                        out.add(Path.of(new URI(u)).toString());
                    }
                }
            } else {
                out.add(e);
            }
        }
        return String.join(File.pathSeparator, out);
    }
}
