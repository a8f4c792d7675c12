package org.widerobust.plugin.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.widerobust.plugin.report.JsonReports;

/**
 * A study's results: one row per finished point (the columns of {@link PointResults#row}) and the study's settings.
 * Written as {@code results.json} ({@code {"study": {...}, "points": [...]}}) and {@code results.csv} (one header
 * line; the union of the rows' columns in order of first appearance; empty cells for values not recorded), both
 * atomically.
 *
 * @param study  the study's settings (data, family, widths, λs, WAR rule, the commands' fingerprint)
 * @param points the rows, in plan order
 */
public record ResultsTable(Map<String, Object> study, List<Map<String, Object>> points) {
    /** The JSON file name. */
    public static final String JSON = "results.json";
    /** The CSV file name. */
    public static final String CSV = "results.csv";

    /** Writes {@code dir/results.json} and {@code dir/results.csv}. */
    public void write(Path dir) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("study", study);
        root.put("points", points);
        JsonReports.write(dir.resolve(JSON), root);
        try {
            JsonReports.writeAtomically(dir.resolve(CSV), csv().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(CSV) + ": " + e.getMessage(), e);
        }
    }

    /** The CSV text. */
    public String csv() {
        Set<String> columns = new LinkedHashSet<>();
        points.forEach(r -> columns.addAll(r.keySet()));
        StringBuilder b = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> r : points) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(cell(r.get(c)));
            }
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    /**
     * Reads {@code dir/results.json}.
     *
     * @throws UncheckedIOException if it is missing or unreadable
     */
    public static ResultsTable read(Path dir) {
        JsonNode root = PointResults.read(dir.resolve(JSON));
        Map<String, Object> study = JsonReports.mapper().convertValue(root.path("study"),
                new TypeReference<LinkedHashMap<String, Object>>() {});
        List<Map<String, Object>> rows = JsonReports.mapper().convertValue(root.path("points"),
                new TypeReference<List<Map<String, Object>>>() {});
        return new ResultsTable(study == null ? Map.of() : study, rows == null ? List.of() : rows);
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        // 12 significant digits: 1 - 0.532 prints 0.468, not the double's 0.46799999999999997 (results.json keeps
        // every digit)
        String s = v instanceof Double d ? (d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
                : Double.isFinite(d) ? new java.math.BigDecimal(d).round(new java.math.MathContext(12))
                        .stripTrailingZeros().toString() : String.valueOf(d)) : v.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
