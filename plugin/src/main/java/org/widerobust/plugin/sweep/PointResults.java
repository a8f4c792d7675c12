package org.widerobust.plugin.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.widerobust.descriptors.network.CostReport;
import org.widerobust.descriptors.network.Families;
import org.widerobust.plugin.report.JsonReports;

/**
 * The one home of reading what a point's {@code train} and {@code evaluate} runs wrote: {@code train.json} (its
 * per-epoch history: {@code natural_risk}, {@code robust_regularization}, {@code lambda} (last and mean),
 * {@code ratio}, {@code local_lipschitz}, {@code val_*}), the per-batch JSON-lines history beside it, and
 * {@code eval.json}. Reading is tolerant: a field a trainer version did not record is null in the row (and the
 * report says "not recorded"), never an error.
 */
public final class PointResults {
    /** Model files a run may hold, best first: the best-validation checkpoint, then the last epoch's model. */
    static final List<String> MODEL_CANDIDATES = List.of("best/model.onnx", "model-best.onnx", "best.onnx",
            "model.onnx");

    private PointResults() {}

    /**
     * The model a point is evaluated with: the epoch with the best validation robust accuracy if the trainer kept
     * one (as the paper's authors select), else the last epoch's {@code model.onnx}.
     *
     * @return the file, or null if the run wrote none
     */
    public static Path modelToEvaluate(Path dir) {
        for (String c : MODEL_CANDIDATES) {
            Path p = dir.resolve(c);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * One results row: the point's settings, the evaluation's metrics, the training history's last epoch, and the
     * network's cost. Keys are the columns of {@code results.csv}; per-attack robust accuracies are
     * {@code robust_accuracy_<attack>}.
     *
     * @param arch the family, for the cost
     * @param dir  the point's directory
     * @throws UncheckedIOException if train.json or eval.json is unreadable
     */
    public static Map<String, Object> row(SweepPoint p, String arch, Path dir) {
        JsonNode train = read(dir.resolve(PointCommands.TRAIN_JSON));
        JsonNode eval = read(dir.resolve(PointCommands.EVAL_JSON));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("point", p.id());
        r.put("kind", p.kind());
        r.put("arch", arch);
        r.put("width", p.width());
        r.put("lambda", p.lambda());
        r.put("war_rule", p.war());
        r.put("reference", p.referenceId());
        r.put("natural_accuracy", number(eval, "natural_accuracy"));
        r.put("robust_accuracy", number(eval, "robust_accuracy"));
        Double stability = number(eval, "perturbation_stability");
        r.put("perturbation_stability", stability);
        r.put("flip_share", stability == null ? null : 1 - stability);
        r.put("local_lipschitz", number(eval, "local_lipschitz"));
        JsonNode per = eval.path("per_attack");
        for (Iterator<String> it = per.fieldNames(); it.hasNext(); ) {
            String a = it.next();
            r.put("robust_accuracy_" + a, number(per.get(a), "robust_accuracy"));
        }
        JsonNode last = lastEpoch(train);
        Double[] lambda = lambdaLastAndMean(train);
        if (lambda[0] == null && !p.isWar()) {
            Double configured = number(train.path("config"), "lambda");
            lambda = new Double[]{configured, configured};
        }
        r.put("lambda_final", lambda[0]);
        r.put("lambda_mean", lambda[1]);
        r.put("natural_risk", number(last, "natural_risk"));
        r.put("robust_regularization", number(last, "robust_regularization"));
        r.put("ratio", number(last, "ratio"));
        r.put("train_local_lipschitz", number(last, "local_lipschitz"));
        r.put("val_natural_accuracy", number(last, "val_natural_accuracy"));
        r.put("val_robust_accuracy", number(last, "val_robust_accuracy"));
        r.put("val_stability", number(last, "val_stability"));
        CostReport cost = cost(arch, p.width(), train);
        r.put("parameters", cost == null ? number(train, "parameters") : (Object) cost.parameters());
        r.put("multiply_adds", cost == null ? null : cost.multiplyAdds());
        r.put("epochs", train.path("epochs").size());
        r.put("train_examples", sumOverEpochs(train, "examples", "examples_trained"));
        r.put("train_seconds", sumOverEpochs(train, "seconds", "seconds"));
        r.put("eval_examples", number(eval.path("data"), "examples"));
        r.put("eval_eps", number(eval.path("threat_model"), "eps"));
        r.put("eval_norm", eval.path("threat_model").path("norm").asText(null));
        JsonNode classes = eval.path("adversarial_per_class").path("classes");
        r.put("classes", classes.isObject() && classes.size() > 0 ? (Object) classes.size() : null);
        List<String> warnings = new java.util.ArrayList<>();
        eval.path("warnings").forEach(w -> warnings.add(w.asText()));
        r.put("eval_warnings", warnings.isEmpty() ? null : String.join("; ", warnings));
        r.put("eval_seconds", number(eval, "seconds"));
        r.put("device", train.path("device").asText(null));
        r.put("model_file", eval.path("model_file").asText(null));
        // which checkpoint the figures are of: best.onnx (a --val run's best epoch) or the last; the training
        // columns above are always the last epoch's
        String file = eval.path("model_file").asText("");
        r.put("evaluated_checkpoint", file.endsWith("best.onnx") ? "best" : "last");
        r.put("best_epoch", number(train.path("best"), "epoch"));
        return r;
    }

    /**
     * λ of a run: the last value and the mean over the run, from the per-epoch {@code lambda} field (a number, or an
     * object with {@code last} and {@code mean}); nulls if the trainer did not record λ per epoch.
     */
    static Double[] lambdaLastAndMean(JsonNode train) {
        Double lastValue = null;
        double weighted = 0;
        double weights = 0;
        for (JsonNode e : train.path("epochs")) {
            JsonNode l = e.get("lambda");
            Double lastOfEpoch;
            Double meanOfEpoch;
            if (l == null || l.isNull()) {
                lastOfEpoch = number(e, "lambda_last");
                meanOfEpoch = number(e, "lambda_mean");
            } else if (l.isObject()) {
                lastOfEpoch = number(l, "last");
                meanOfEpoch = number(l, "mean");
            } else {
                lastOfEpoch = l.isNumber() ? l.asDouble() : null;
                meanOfEpoch = number(e, "lambda_mean");
            }
            if (meanOfEpoch == null) {
                meanOfEpoch = lastOfEpoch;
            }
            if (lastOfEpoch != null) {
                lastValue = lastOfEpoch;
            }
            if (meanOfEpoch != null) {
                double w = e.path("examples").asDouble(1);
                weighted += w * meanOfEpoch;
                weights += w;
            }
        }
        return new Double[]{lastValue, weights > 0 ? weighted / weights : null};
    }

    /**
     * The per-batch λ trajectory of a run from the JSON-lines history beside {@code train.json} (the first
     * {@code *.jsonl} file in {@code dir}, one line per batch): pairs (batch, λ), the batch counted over the whole run
     * (a global {@code step} field, else the line number, since {@code batch} restarts every epoch). Empty if the
     * trainer wrote no such file.
     */
    public static List<double[]> lambdaTrajectory(Path dir) {
        List<double[]> out = new ArrayList<>();
        Path file;
        try (Stream<Path> s = Files.list(dir)) {
            file = s.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return out;
        }
        if (file == null) {
            return out;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                n++;
                JsonNode j;
                try {
                    j = JsonReports.mapper().readTree(line);
                } catch (IOException e) {
                    continue; // a line cut by a kill
                }
                Double lambda = number(j, "lambda");
                if (lambda == null) {
                    continue;
                }
                Double step = number(j, "step");
                out.add(new double[]{step == null ? n : step, lambda});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static CostReport cost(String arch, double width, JsonNode train) {
        JsonNode shape = train.path("data").path("example_shape");
        int classes = train.path("data").path("classes").size();
        if (!shape.isArray() || shape.isEmpty() || classes == 0) {
            return null;
        }
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape.get(i).asLong();
        }
        try {
            return Families.create(arch, width).cost(s, classes);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A total over the whole run: the sum of the per-epoch values (a resumed run's {@code train.json} lists every
     * epoch, but its top-level totals count only the last invocation), else the top-level field.
     */
    private static Double sumOverEpochs(JsonNode train, String epochField, String totalField) {
        double sum = 0;
        int n = 0;
        for (JsonNode e : train.path("epochs")) {
            Double v = number(e, epochField);
            if (v != null) {
                sum += v;
                n++;
            }
        }
        return n > 0 && n == train.path("epochs").size() ? Double.valueOf(sum) : number(train, totalField);
    }

    private static JsonNode lastEpoch(JsonNode train) {
        JsonNode epochs = train.path("epochs");
        return epochs.isArray() && !epochs.isEmpty() ? epochs.get(epochs.size() - 1) : train.path("none");
    }

    static Double number(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    static JsonNode read(Path file) {
        try {
            return JsonReports.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
