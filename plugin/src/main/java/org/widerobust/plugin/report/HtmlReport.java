package org.widerobust.plugin.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The study report: one self-contained {@code report.html} (charts embedded as PNG data URIs, no scripts, no
 * network), with the findings on the paper's three claims, the charts, the results table and the study's settings.
 * The charts are also written as PNG files under {@code charts/}, and the merged table as {@code results.csv} and
 * {@code results.json}. Every file is written atomically.
 */
public final class HtmlReport {
    /** The report's file name. */
    public static final String FILE = "report.html";

    /** The table's columns, in order (others are in results.csv). */
    private static final List<String> COLUMNS = List.of("point", "width", "lambda", "war_rule", "natural_accuracy",
            "robust_accuracy", "perturbation_stability", "local_lipschitz", "lambda_final", "lambda_mean",
            "natural_risk", "robust_regularization", "ratio", "val_robust_accuracy", "parameters", "multiply_adds",
            "train_examples", "train_seconds");

    private HtmlReport() {}

    /**
     * The note on planned points without results, as the report and {@code report} print it.
     *
     * @param missing the planned points without a finished row ({@link StudyResults#missing()})
     */
    /**
     * A note when some points were evaluated at their best-validation epoch ({@code best.onnx}), whose figures then
     * come from another epoch than the training columns (λ, ρ, risks: the last epoch's); null when none was.
     */
    public static String checkpointNote(List<java.util.Map<String, Object>> rows) {
        List<String> best = new java.util.ArrayList<>();
        for (java.util.Map<String, Object> r : rows) {
            if ("best".equals(r.get("evaluated_checkpoint"))) {
                Object e = r.get("best_epoch");
                best.add(r.get("point") + (e instanceof Number n ? " (epoch " + n.intValue() + ")" : ""));
            }
        }
        return best.isEmpty() ? null : best.size() + " point(s) were evaluated at their best validation epoch "
                + "(best.onnx): " + String.join(", ", best) + ". Their training columns (λ, ρ, risks, the training "
                + "Lipschitz proxy) are the last epoch's, and WAR references use the last epoch's model.";
    }

    public static String missingNote(List<String> missing) {
        return missing.size() + " planned point" + (missing.size() == 1 ? " has" : "s have") + " no results in these "
                + "inputs (unfinished, or in shards not given): " + String.join(", ", missing) + ". The findings and "
                + "the tuning cost cover only the points present.";
    }

    /**
     * Writes the report into {@code out}.
     *
     * @return the report file
     */
    public static Path write(StudyResults results, List<Findings.Finding> findings, List<StudyCharts.Drawn> charts,
                             Path out) {
        try {
            results.table().write(out);
            Path dir = out.resolve("charts");
            java.util.Set<String> names = new java.util.HashSet<>();
            for (StudyCharts.Drawn d : charts) {
                JsonReports.writeAtomically(dir.resolve(d.file()), d.png());
                names.add(d.file());
            }
            try (java.util.stream.Stream<Path> old = java.nio.file.Files.list(dir)) {
                for (Path f : old.toList()) { // charts of an earlier report that this one does not draw
                    String n = f.getFileName().toString();
                    if (StudyCharts.fileNames().contains(n) && !names.contains(n)) {
                        java.nio.file.Files.delete(f);
                    }
                }
            }
            Path file = out.resolve(FILE);
            JsonReports.writeAtomically(file, html(results, findings, charts).getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + out + ": " + e.getMessage(), e);
        }
    }

    static String html(StudyResults results, List<Findings.Finding> findings, List<StudyCharts.Drawn> charts) {
        Map<String, Object> study = results.table().study();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>widerobust study: ")
                .append(esc(study.get("arch") + " on " + study.get("data"))).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:3px 6px;"
                        + "text-align:right}th{background:#f0f0f0}td:first-child{text-align:left}\n")
                .append(".held{color:#0a0}.partly{color:#b80}.not{color:#c00}.untested{color:#777}\n")
                .append("figure{display:inline-block;margin:1em 0}figcaption{font-size:0.9em;color:#555;max-width:720px}"
                        + "\n</style></head><body>\n");
        h.append("<h1>Width × λ study: ").append(esc(String.valueOf(study.get("arch")))).append(" on ")
                .append(esc(String.valueOf(study.get("data")))).append("</h1>\n");
        h.append("<p>").append(results.table().points().size()).append(" points: widths ")
                .append(esc(setting(study.get("widths")))).append(", λ ")
                .append(esc(setting(study.get("lambdas")))).append(", WAR ")
                .append(esc(String.valueOf(study.get("war")))).append(". Report made ").append(Instant.now())
                .append(" from ").append(esc(results.inputs().toString())).append(".</p>\n");
        List<String> missing = results.missing();
        if (!missing.isEmpty()) {
            h.append("<p><strong>Incomplete:</strong> ").append(esc(missingNote(missing))).append("</p>\n");
        }
        String checkpoints = checkpointNote(results.table().points());
        if (checkpoints != null) {
            h.append("<p><strong>Checkpoints:</strong> ").append(esc(checkpoints)).append("</p>\n");
        }

        h.append("<h2 id=\"findings\">Findings</h2>\n<ol>\n");
        for (Findings.Finding f : findings) {
            h.append("<li><p><b>").append(esc(f.claim())).append("</b> — <span class=\"")
                    .append(cssClass(f.verdict())).append("\">").append(f.verdict().words()).append("</span> on this "
                            + "run.</p>\n<ul>\n");
            for (String d : f.details()) {
                h.append("<li>").append(esc(d)).append("</li>\n");
            }
            h.append("</ul></li>\n");
        }
        h.append("</ol>\n");

        h.append("<h2 id=\"charts\">Charts</h2>\n");
        for (StudyCharts.Drawn d : charts) {
            h.append("<figure><img class=\"chart\" alt=\"").append(esc(d.title())).append("\" width=\"")
                    .append(StudyCharts.WIDTH).append("\" height=\"").append(StudyCharts.HEIGHT)
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(d.png()))
                    .append("\"><figcaption>").append(esc(d.caption())).append("</figcaption></figure>\n");
        }
        Set<String> drawn = new LinkedHashSet<>();
        charts.forEach(c -> drawn.add(c.file()));
        if (!drawn.contains("war_lambda.png")) {
            h.append("<p>WAR λ trajectories: not recorded (no WAR point with a per-batch JSON-lines history).</p>\n");
        }
        if (!drawn.contains("local_lipschitz.png")) {
            h.append("<p>Local Lipschitz: not recorded (the sweep ran with --no-lipschitz).</p>\n");
        }

        h.append("<h2 id=\"results\">Results</h2>\n<p>Accuracies and stability on the evaluation set; empty cells: not "
                + "recorded. All columns are in <a href=\"results.csv\">results.csv</a> and "
                + "<a href=\"results.json\">results.json</a>.</p>\n<div style=\"overflow-x:auto\"><table>\n<tr>");
        for (String c : COLUMNS) {
            h.append("<th>").append(esc(c)).append("</th>");
        }
        h.append("</tr>\n");
        for (Map<String, Object> r : results.table().points()) {
            h.append("<tr>");
            for (String c : COLUMNS) {
                h.append("<td>").append(esc(cell(r.get(c)))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n");

        h.append("<h2 id=\"settings\">Settings</h2>\n<table>\n");
        for (String k : List.of("data", "arch", "widths", "lambdas", "war", "train_options", "war_options",
                "eval_options", "created")) {
            if (study.containsKey(k)) {
                h.append("<tr><td>").append(esc(k)).append("</td><td style=\"text-align:left\">")
                        .append(esc(setting(study.get(k)))).append("</td></tr>\n");
            }
        }
        Set<String> hosts = new LinkedHashSet<>();
        Set<String> devices = new LinkedHashSet<>();
        for (Map<String, Object> r : results.table().points()) {
            hosts.add(String.valueOf(r.get("host")));
            devices.add(String.valueOf(r.get("device")));
        }
        h.append("<tr><td>hosts</td><td style=\"text-align:left\">").append(esc(hosts.toString()))
                .append("</td></tr>\n<tr><td>devices</td><td style=\"text-align:left\">")
                .append(esc(devices.toString())).append("</td></tr>\n</table>\n");
        h.append("<p>Made by widerobust report; each point's own train.json and eval.json (with provenance) are in "
                + "its sweep directory under points/.</p>\n</body></html>\n");
        return h.toString();
    }

    private static String cssClass(Findings.Verdict v) {
        return switch (v) {
            case HELD -> "held";
            case PARTLY -> "partly";
            case NOT_SHOWN -> "untested";
            case NOT_HELD -> "not";
            case NOT_TESTED -> "untested";
        };
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
                    : String.format(Locale.ROOT, "%.4g", d);
        }
        if (v instanceof Float f) {
            return String.format(Locale.ROOT, "%.4g", f);
        }
        return v.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * A study setting as the command line would spell it: whole numbers without ".0" ({@code [1, 2, 4]}), options
     * as {@code --opt=value} and flags as {@code --opt} (not {@code --opt=null}).
     */
    static String setting(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : n.toString();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(HtmlReport::setting).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        if (v instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getValue() == null ? String.valueOf(e.getKey())
                            : e.getKey() + "=" + setting(e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(v);
    }
}
