package org.widerobust.plugin.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.widerobust.plugin.eval.AdversarialExamples;
import org.widerobust.plugin.eval.AttackSummary;
import org.widerobust.plugin.eval.RobustnessEvaluation;
import org.widerobust.plugin.report.JsonReports;

/**
 * The JSON report of {@code evaluate} and {@code attack}: the metrics, each attack's numbers, per-class figures of
 * the worst-case adversarial predictions, warnings, per-example breaking attacks, and the provenance as OLCUT's JSON
 * provenance serialization (a list of marshalled objects that {@code JsonProvenanceSerialization} reads back).
 * Written atomically: a temporary file in the same directory, then a move.
 */
final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    static ObjectNode build(String command, EvaluationRunner.Run run, EvaluationOptions o) {
        RobustnessEvaluation e = run.evaluation();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("command", command);
        root.put("model", run.model());
        root.put("model_file", o.model().toString());
        root.put("white_box", run.whiteBox());
        ObjectNode data = root.putObject("data");
        data.put("spec", o.data());
        data.put("split", o.split());
        data.put("examples", run.data().size());
        ArrayNode shape = data.putArray("example_shape");
        Arrays.stream(run.data().exampleShape()).forEach(shape::add);
        ObjectNode tm = root.putObject("threat_model");
        tm.put("norm", o.attackOptions().norm().name().toLowerCase(java.util.Locale.ROOT));
        tm.put("eps", o.attackOptions().eps());
        root.put("device", run.device());
        ArrayNode budgets = root.putArray("attacks");
        for (org.widerobust.plugin.attack.Attack a : run.attacks()) {
            budgets.add(a.name());
        }
        number(root, "natural_accuracy", e.naturalAccuracy(), "no examples");
        number(root, "robust_accuracy", e.robustAccuracy(), "no examples");
        number(root, "perturbation_stability", e.perturbationStability(), "no examples");
        if (o.lipschitz()) {
            if (e.localLipschitz().isPresent()) {
                root.put("local_lipschitz", e.localLipschitz().getAsDouble());
                root.put("local_lipschitz_method", e.lipschitzMethod());
            } else {
                root.putNull("local_lipschitz");
            }
        }
        ObjectNode per = root.putObject("per_attack");
        for (Map.Entry<String, AttackSummary> en : e.perAttack().entrySet()) {
            AttackSummary s = en.getValue();
            ObjectNode a = per.putObject(en.getKey());
            number(a, "robust_accuracy", s.robustAccuracy(), "no examples");
            number(a, "perturbation_stability", s.stability(), "no examples");
            a.put("white_box", s.whiteBox());
            a.put("queries", s.queries());
            a.put("seconds", s.seconds());
            a.put("outside_threat_model", s.outsideThreatModel());
        }
        ObjectNode pn = root.putObject("perturbation");
        pn.put("mean_linf", e.perturbations().meanLinf());
        pn.put("max_linf", e.perturbations().maxLinf());
        pn.put("mean_l2", e.perturbations().meanL2());
        pn.put("max_l2", e.perturbations().maxL2());
        root.put("queries", e.queries());
        root.put("seconds", e.seconds());
        if (Double.isNaN(e.zeroGradientFraction())) {
            root.putNull("zero_gradient_fraction");
        } else {
            root.put("zero_gradient_fraction", e.zeroGradientFraction());
        }
        perClass(root.putObject("adversarial_per_class"), e.adversarialEvaluation());
        ArrayNode w = root.putArray("warnings");
        e.warnings().forEach(w::add);
        AdversarialExamples ex = e.examples();
        Map<String, Integer> counts = new LinkedHashMap<>();
        ArrayNode broken = root.putArray("broken_by");
        for (String s : ex.brokenBy()) {
            broken.add(s);
            counts.merge(s == null ? "robust" : s, 1, Integer::sum);
        }
        ObjectNode bc = root.putObject("broken_by_counts");
        counts.forEach(bc::put);
        root.set("provenance", provenance(e));
        replaceNonFinite(root);
        return root;
    }

    /**
     * Puts a number, or null with a {@code KEY_null_reason} field beside it when the value is NaN or infinite: JSON
     * has no NaN, and a string "NaN" would read as a value.
     */
    static void number(ObjectNode node, String key, double v, String reason) {
        if (Double.isFinite(v)) {
            node.put(key, v);
        } else {
            node.putNull(key);
            node.put(key + "_null_reason", reason + (Double.isNaN(v) ? " (not a number)" : " (infinite)"));
        }
    }

    /** Replaces any non-finite number left anywhere in the tree by null with a reason beside it. */
    static void replaceNonFinite(JsonNode node) {
        if (node instanceof ObjectNode o) {
            java.util.List<String> bad = new java.util.ArrayList<>();
            o.fields().forEachRemaining(en -> {
                if (en.getValue().isNumber() && !Double.isFinite(en.getValue().asDouble())) {
                    bad.add(en.getKey());
                } else {
                    replaceNonFinite(en.getValue());
                }
            });
            for (String k : bad) {
                number(o, k, o.get(k).asDouble(), "not a finite number");
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isNumber() && !Double.isFinite(a.get(i).asDouble())) {
                    a.set(i, com.fasterxml.jackson.databind.node.NullNode.getInstance());
                } else {
                    replaceNonFinite(a.get(i));
                }
            }
        }
    }

    private static void perClass(ObjectNode node, LabelEvaluation le) {
        number(node, "accuracy", le.accuracy(), "no examples");
        number(node, "macro_f1", le.macroAveragedF1(), "undefined for some class");
        ObjectNode classes = node.putObject("classes");
        for (Label l : le.getConfusionMatrix().getDomain().getDomain()) {
            ObjectNode c = classes.putObject(l.getLabel());
            number(c, "precision", le.precision(l), "no adversarial example was predicted as this class");
            number(c, "recall", le.recall(l), "no example of this class");
            number(c, "f1", le.f1(l), "precision or recall undefined");
            c.put("support", le.tp(l) + le.fn(l));
        }
    }

    /** The provenance as OLCUT's JSON provenance serialization. */
    static JsonNode provenance(RobustnessEvaluation e) {
        String s = new JsonProvenanceSerialization(false)
                .serializeToString(ProvenanceUtil.marshalProvenance(e.robustnessProvenance()));
        try {
            return MAPPER.readTree(s);
        } catch (IOException ex) {
            throw new IllegalStateException("OLCUT produced unreadable provenance JSON", ex);
        }
    }

    /** Writes the report atomically (temporary file next to the target, then a move). */
    static void write(JsonNode report, Path out) throws IOException {
        JsonReports.writeAtomically(out, (MAPPER.writeValueAsString(report) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
