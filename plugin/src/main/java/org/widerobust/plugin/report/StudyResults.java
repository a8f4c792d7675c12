package org.widerobust.plugin.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.widerobust.plugin.sweep.PointResults;
import org.widerobust.plugin.sweep.ResultsTable;

/**
 * The merged results of one study from one or more sweep directories (shards): every point once, sorted by width,
 * fixed λ points before WAR, then by λ, with the per-batch λ trajectories of the WAR points.
 *
 * @param table        the merged table; its study settings are those of the first input
 * @param trajectories per WAR point id, pairs (batch, λ) from its JSON-lines history (absent: not recorded)
 * @param inputs       the directories merged
 */
public record StudyResults(ResultsTable table, Map<String, List<double[]>> trajectories, List<Path> inputs) {

    /**
     * Merges the {@code results.json} of each directory.
     *
     * @throws IllegalArgumentException if a directory has no {@code results.json} or is given twice, if the inputs
     *                                  are different studies (other data, family, or a point with other settings),
     *                                  or if no point has finished
     */
    public static StudyResults merge(List<Path> dirs) {
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("--in names no directory");
        }
        Map<String, Object> study = null;
        Map<String, Object> fingerprints = new LinkedHashMap<>();
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        Map<String, List<double[]>> trajectories = new LinkedHashMap<>();
        java.util.Set<Path> seen = new java.util.HashSet<>();
        for (Path d : dirs) {
            if (!seen.add(d.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--in names " + d + " twice");
            }
            if (!Files.isRegularFile(d.resolve(ResultsTable.JSON))) {
                throw new IllegalArgumentException(d + " has no " + ResultsTable.JSON + " (is it a sweep's --out?)");
            }
            ResultsTable t = ResultsTable.read(d);
            if (study == null) {
                study = t.study();
            } else {
                for (String key : List.of("data", "arch")) {
                    if (!Objects.equals(study.get(key), t.study().get(key))) {
                        throw new IllegalArgumentException(d + " is another study: " + key + " " + t.study().get(key)
                                + " instead of " + study.get(key));
                    }
                }
            }
            if (t.study().get("points") instanceof Map<?, ?> fp) {
                for (Map.Entry<?, ?> e : fp.entrySet()) {
                    Object before = fingerprints.putIfAbsent(e.getKey().toString(), e.getValue());
                    if (before != null && !before.equals(e.getValue())) {
                        throw new IllegalArgumentException(d + " is another study: point " + e.getKey()
                                + " was planned with other settings");
                    }
                }
            }
            for (Map<String, Object> r : t.points()) {
                String id = String.valueOf(r.get("point"));
                if (rows.putIfAbsent(id, r) == null && "war".equals(r.get("kind"))) {
                    List<double[]> tr = PointResults.lambdaTrajectory(d.resolve("points").resolve(id));
                    if (!tr.isEmpty()) {
                        trajectories.put(id, tr);
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no finished point in " + dirs);
        }
        List<Map<String, Object>> sorted = new ArrayList<>(rows.values());
        sorted.sort(Comparator.<Map<String, Object>>comparingDouble(r -> num(r, "width"))
                .thenComparing(r -> String.valueOf(r.get("kind")))
                .thenComparingDouble(r -> num(r, "lambda")));
        Map<String, Object> merged = new LinkedHashMap<>(study);
        merged.put("points", fingerprints);
        return new StudyResults(new ResultsTable(merged, sorted), trajectories, List.copyOf(dirs));
    }

    /**
     * The planned points of the study (every shard records the whole plan) that have no finished row in these
     * inputs: unfinished, or in shards not given. Findings and the tuning cost then cover only the points present.
     */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        if (table.study().get("points") instanceof Map<?, ?> planned) {
            java.util.Set<String> present = new java.util.HashSet<>();
            table.points().forEach(r -> present.add(String.valueOf(r.get("point"))));
            for (Object id : planned.keySet()) {
                if (!present.contains(id.toString())) {
                    out.add(id.toString());
                }
            }
        }
        return out;
    }

    /** A row's number, NaN when absent (not recorded). */
    static double num(Map<String, Object> row, String key) {
        return row.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
