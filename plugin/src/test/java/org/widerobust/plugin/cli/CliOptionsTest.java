package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.config.Config;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.cli.Option;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widerobust.plugin.attack.Attacks;
import org.widerobust.plugin.train.AdversarialTrainer;

/**
 * Option parsing and the small things of issue 11 on a model trained in the test: repeated options, fractions,
 * {@code --threads 0}, output paths checked before the attack, help, {@code --version}, flag names in errors, the
 * CUDA fallback said once, an empty model file.
 */
class CliOptionsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;
    private static String model;

    @BeforeAll
    static void trainATinyModel() {
        Path out = shared.resolve("tiny");
        CliRunner.Result r = CliRunner.run("train", "--arch", "mlp", "--width", "0.25", "--data", "synthetic:40",
                "--method", "natural", "--epochs", "1", "--batch", "20", "--device", "cpu", "--threads", "2",
                "--quiet", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        model = out.resolve("model.onnx").toString();
    }

    private static List<String> evaluate(String... extra) {
        List<String> a = new ArrayList<>(List.of("evaluate", "--model", model, "--data", "synthetic:16", "--device",
                "cpu", "--steps", "2"));
        a.addAll(List.of(extra));
        return a;
    }

    private static CliRunner.Result run(List<String> args) {
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void naturalTrainingRefusesTheAttackAndLambdaOptionsItWouldIgnore() {
        for (String[] o : new String[][] {{"--lambda", "6"}, {"--steps", "5"}, {"--war", "ratio"}}) {
            CliRunner.Result r = CliRunner.run("train", "--arch", "mlp", "--data", "synthetic:20", "--method",
                    "natural", o[0], o[1], "--out", tmp.resolve("natural").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(o[0] + " applies only to --method pgd or trades"), r.err());
            assertTrue(!java.nio.file.Files.exists(tmp.resolve("natural")), "refused before the run directory");
        }
    }

    @Test
    void aWarReferenceInsideTheRunDirectoryIsRefused() throws Exception {
        Path out = tmp.resolve("run");
        java.nio.file.Files.createDirectories(out);
        for (String ref : new String[] {out.resolve("model.tribuo").toString(), out + "/../run/model.tribuo"}) {
            CliRunner.Result r = CliRunner.run("train", "--arch", "mlp", "--data", "synthetic:20", "--war", "ratio",
                    "--war-reference", ref, "--out", out.toString(), "--overwrite");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("lies in --out"), r.err());
        }
    }

    @Test
    void aRepeatedOptionIsAnErrorInEveryCommand() {
        CliRunner.Result eps = run(evaluate("--attack", "pgd", "--eps", "0.1", "--eps", "0.3"));
        assertEquals(2, eps.code(), eps.out());
        assertTrue(eps.err().contains("--eps is given 2 times ('0.1', '0.3'); give it once"), eps.err());
        assertEquals("", eps.out(), "nothing may be evaluated");
        CliRunner.Result attacks = run(evaluate("--eps", "0.1", "--attack", "fgsm", "--attack", "pgd"));
        assertEquals(2, attacks.code());
        assertTrue(attacks.err().contains("--attack fgsm,pgd"), attacks.err());
        CliRunner.Result unknownInList = run(evaluate("--eps", "0.1", "--attack", "fgsm,cw-l2"));
        assertEquals(2, unknownInList.code());
        assertTrue(unknownInList.err().contains("unknown attack 'cw-l2'"), unknownInList.err());
        CliRunner.Result train = CliRunner.run("train", "--arch", "mlp", "--data", "synthetic:20", "--lr", "0.1",
                "--lr", "0.2", "--out", tmp.resolve("t").toString());
        assertEquals(2, train.code());
        assertTrue(train.err().contains("--lr is given 2 times"), train.err());
        CliRunner.Result flag = CliRunner.run("bench", "--arch", "mlp", "--seconds", "1", "--seconds", "2");
        assertEquals(2, flag.code());
        assertTrue(flag.err().contains("--seconds is given 2 times"), flag.err());
    }

    @Test
    void realValuedOptionsTakeFractions() throws IOException {
        assertEquals(8 / 255.0, Args.parseReal("8/255"), 0);
        assertEquals(8 / 255.0, Args.parseReal(" 8 / 255 "), 0);
        assertEquals(2e-4, Args.parseReal("2e-4"), 0);
        assertEquals(0.5, Args.parseReal("1/2.0"), 0);
        for (String bad : new String[] {"8/0", "8/", "/3", "1/2/3", "abc"}) {
            org.junit.jupiter.api.Assertions.assertThrows(NumberFormatException.class, () -> Args.parseReal(bad),
                    bad);
        }
        Path json = tmp.resolve("e.json");
        CliRunner.Result r = run(evaluate("--attack", "fgsm", "--eps", "8/255", "--json", json.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode j = MAPPER.readTree(json.toFile());
        assertEquals(8 / 255.0, j.get("threat_model").get("eps").asDouble(), 1e-15);
        CliRunner.Result bad = run(evaluate("--attack", "fgsm", "--eps", "8/0"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--eps takes a number or a fraction such as 8/255, got '8/0'"), bad.err());
    }

    @Test
    void aBadWidthNamesTheWidthOption() {
        CliRunner.Result r = CliRunner.run("train", "--arch", "mlp", "--width", "0", "--data", "synthetic:20",
                "--out", tmp.resolve("w").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--arch mlp --width 0: ") && r.err().contains("width factor must be positive"),
                r.err());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("w").resolve("model.onnx")));
    }

    @Test
    void aNetworkTooWideForOneTensorIsAOneLineError() {
        CliRunner.Result r = CliRunner.run("train", "--arch", "smallcnn", "--width", "1e6", "--data", "synthetic:20",
                "--out", tmp.resolve("huge").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("smallcnn(k=1000000): weight conv2.weight")
                && r.err().contains("more elements than one tensor can hold"), r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
    }

    @Test
    void emptyOptionValuesAreRefusedInEveryCommand() {
        CliRunner.Result out = CliRunner.run("train", "--arch", "mlp", "--data", "synthetic:20", "--out", "");
        assertEquals(2, out.code());
        assertTrue(out.err().contains("--out: empty value"), out.err());
        CliRunner.Result json = run(evaluate("--attack", "fgsm", "--eps", "0.1", "--json", " "));
        assertEquals(2, json.code());
        assertTrue(json.err().contains("--json: empty value"), json.err());
    }

    @Test
    void threadsZeroMeansAllCoresInEveryCommand() {
        CliRunner.Result r = run(evaluate("--attack", "fgsm", "--eps", "0.1", "--threads", "0"));
        assertEquals(0, r.code(), r.err());
        CliRunner.Result neg = run(evaluate("--attack", "fgsm", "--eps", "0.1", "--threads", "-1"));
        assertEquals(2, neg.code());
        assertTrue(neg.err().contains("--threads must be >= 0 (0: all cores)"), neg.err());
        CliRunner.Result train = CliRunner.run("train", "--arch", "mlp", "--data", "synthetic:20", "--threads", "-1",
                "--out", tmp.resolve("t").toString());
        assertEquals(2, train.code());
        assertTrue(train.err().contains("--threads must be >= 0 (0: all cores)"), train.err());
    }

    @Test
    void unwritableOutputsFailBeforeAnyAttackInOneLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String under = file.resolve("out").toString();
        List<List<String>> cases = List.of(
                evaluate("--attack", "pgd", "--eps", "0.1", "--json", under + "/e.json"),
                withCommand("attack", evaluate("--attack", "pgd", "--eps", "0.1", "--save", under)),
                withCommand("attack", evaluate("--attack", "pgd", "--eps", "0.1", "--json", under + "/e.json")),
                evaluate("--attack", "pgd", "--eps", "0.1", "--json", tmp.toString()),
                List.of("bench", "--arch", "mlp", "--width", "0.25", "--seconds", "0.1", "--json", under + "/b.json"));
        for (List<String> c : cases) {
            CliRunner.Result r = run(c);
            assertEquals(2, r.code(), c + ": " + r.err());
            assertEquals("", r.out(), c + ": nothing may be attacked or measured");
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }

    private static List<String> withCommand(String command, List<String> args) {
        List<String> a = new ArrayList<>(args);
        a.set(0, command);
        return a;
    }

    @Test
    void helpMarksRequiredOptionsShowsDefaultsAndListsEveryAttack() {
        for (Command c : Commands.all()) {
            CliRunner.Result r = CliRunner.run(c.name(), "--help");
            assertEquals(0, r.code());
            String help = r.out().replaceAll("\\s+", " ");
            for (Option o : c.options().getOptions()) {
                String desc = o.getDescription().replaceAll("\\s+", " ");
                assertTrue(help.contains(desc), c.name() + " --" + o.getLongOpt() + " missing from " + help);
                if (o.isRequired()) {
                    assertTrue(help.contains(desc + " (required)"), c.name() + " --" + o.getLongOpt()
                            + " not marked required: " + help);
                } else if (o.hasArg()) {
                    assertTrue(desc.contains("default"), c.name() + " --" + o.getLongOpt() + " shows no default: "
                            + desc);
                }
            }
        }
        for (String command : new String[] {"evaluate", "attack"}) {
            String help = CliRunner.run(command, "--help").out().replaceAll("\\s+", " ");
            for (String a : Attacks.names()) {
                assertTrue(help.contains(" " + a + ",") || help.contains(" " + a + " ") || help.contains(" " + a
                        + ")"), command + " --help does not list " + a + ": " + help);
            }
        }
    }

    @Test
    void versionComesFromTheMavenProject() {
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)widerobust \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Tribuo .*"), r.out());
    }

    @Test
    void errorsNameFlagsNotFields() throws Exception {
        String[][] cases = {{"--batch", "0", "--batch"}, {"--lr", "-1", "--lr"}, {"--steps", "0", "--steps"},
                {"--weight-decay", "-1", "--weight-decay"}, {"--checkpoint-every", "-1", "--checkpoint-every"},
                {"--eps", "0", "--eps"}};
        for (String[] c : cases) {
            CliRunner.Result r = CliRunner.run("train", "--arch", "mlp", "--data", "synthetic:20", c[0], c[1],
                    "--device", "cpu", "--quiet", "--out", tmp.resolve("t").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(c[2]), r.err());
            for (String field : TrainCommand.FLAGS.keySet()) {
                if (!field.equals(TrainCommand.FLAGS.get(field))) {
                    assertFalse(r.err().matches("(?s).*\\b" + field + "\\b.*"), field + " in " + r.err());
                }
            }
        }
        // the mechanism covers every @Config field of the trainer: a new field needs its flag (or a reason)
        Set<String> fields = new HashSet<>();
        for (Field f : AdversarialTrainer.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(Config.class)) {
                fields.add(f.getName());
            }
        }
        Set<String> covered = new HashSet<>(TrainCommand.FLAGS.keySet());
        covered.addAll(TrainCommand.NOT_FLAGS);
        assertEquals(fields, covered);
    }

    @Test
    void anEmptyTribuoFileSaysItIsEmpty() throws IOException {
        Path empty = Files.createFile(tmp.resolve("model.tribuo"));
        List<String> args = evaluate("--attack", "square", "--eps", "0.1");
        args.set(2, empty.toString());
        CliRunner.Result r = run(args);
        assertEquals(2, r.code());
        assertTrue(r.err().contains(empty + " is empty"), r.err());
    }

    @Test
    void theCudaFallbackReasonIsSaidOncePerRun() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidiactl"))
                || Files.exists(Path.of("/dev/dxg")), "this machine has a GPU driver");
        Path out = tmp.resolve("out.log");
        Path err = tmp.resolve("err.log");
        Process p = CliProcess.start(out, err, "evaluate", "--model", model, "--data", "synthetic:8", "--attack",
                "fgsm", "--eps", "0.1", "--device", "auto", "--threads", "1");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String all = Files.readString(out) + Files.readString(err);
        assertEquals(0, p.exitValue(), all);
        assertEquals(1, all.split("CUDA unavailable|CUDA is unavailable", -1).length - 1, all);
    }
}
