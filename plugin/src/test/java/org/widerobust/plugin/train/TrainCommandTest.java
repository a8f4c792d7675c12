package org.widerobust.plugin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.adapters.imports.OnnxClassifierImporter;
import org.widerobust.plugin.cli.Main;

/** {@code widerobust train} end to end on tiny data. */
class TrainCommandTest {
    @Test
    void trainsAndWritesTheThreeFiles(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        int rc = Main.standard().run(new String[]{"train", "--arch", "mlp", "--width", "0.25", "--data",
                "synthetic:120", "--method", "trades", "--steps", "2", "--epochs", "2", "--batch", "40",
                "--device", "cpu", "--threads", "2", "--out", out.toString(), "--quiet"});
        assertEquals(0, rc);
        assertTrue(Files.exists(out.resolve("model.onnx")));
        assertTrue(Files.exists(out.resolve("model.tribuo")));
        assertTrue(Files.exists(out.resolve("checkpoints").resolve(Checkpoint.FILE)));
        JsonNode report = new ObjectMapper().readTree(out.resolve("train.json").toFile());
        assertEquals(2, report.get("epochs").size());
        assertEquals("trades", report.get("config").get("method").asText());
        assertEquals(0.01, report.get("config").get("step_size").asDouble(), 1e-12);
        assertTrue(report.get("provenance").isObject());
        assertEquals(10, OnnxClassifierImporter.load(out.resolve("model.onnx")).numClasses());
        NetworkModel m = NetworkModel.load(out.resolve("model.tribuo"));
        assertEquals(10, m.labelNames().size());

        // resuming a finished run changes nothing and trains nothing
        rc = Main.standard().run(new String[]{"train", "--arch", "mlp", "--width", "0.25", "--data",
                "synthetic:120", "--method", "trades", "--steps", "2", "--epochs", "2", "--batch", "40",
                "--device", "cpu", "--threads", "2", "--out", out.toString(), "--quiet", "--resume"});
        assertEquals(0, rc);
    }

    @Test
    void badArgumentsExitWithTwo(@TempDir Path tmp) {
        String out = tmp.resolve("x").toString();
        assertEquals(2, run("--arch", "mlp", "--data", "synthetic:50", "--eps", "-1", "--out", out));
        assertEquals(2, run("--arch", "mlp", "--data", "synthetic:50", "--lambda", "-1", "--out", out));
        assertEquals(2, run("--arch", "mlp", "--data", "synthetic:50", "--epochs", "0", "--out", out));
        assertEquals(2, run("--arch", "mlp", "--data", "synthetic:50", "--eps", "abc", "--out", out));
        assertEquals(2, run("--arch", "nope", "--data", "synthetic:50", "--out", out));
        assertEquals(2, run("--arch", "mlp", "--data", "nowhere:50", "--out", out));
        assertEquals(2, run("--arch", "mlp", "--data", "synthetic:50", "--out", out, "--resume"));
        assertEquals(2, run("--arch", "mlp", "--data", "synthetic:50"));
        assertEquals(2, run("--arch", "smallcnn", "--data", "synthetic:50", "--limit", "0", "--out", out));
    }

    private static int run(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--device";
        all[args.length + 2] = "cpu";
        all[args.length + 3] = "--quiet";
        all[args.length + 4] = "--threads=2";
        return Main.standard().run(all);
    }
}
