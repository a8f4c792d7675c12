package org.widerobust.plugin.report;

import static org.widerobust.plugin.report.StudyResults.num;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The study report's charts, drawn by XChart as PNG: four metrics against width (one line per fixed λ and one for
 * WAR), WAR's λ trajectories, robust accuracy against its lower bound natural accuracy − flip share, and the
 * tuning cost. A chart whose
 * data the study did not record is left out (the report says so).
 */
public final class StudyCharts {
    /** Pixel size of every chart. */
    static final int WIDTH = 720;
    static final int HEIGHT = 440;

    /**
     * A drawn chart.
     *
     * @param file    its file name, e.g. {@code natural_accuracy.png}
     * @param title   its title
     * @param caption what it shows
     * @param png     the PNG bytes
     */
    public record Drawn(String file, String title, String caption, byte[] png) {}

    /** The metrics plotted against width: column, title, axis label. */
    static final String[][] METRICS = {
            {"natural_accuracy", "Natural accuracy", "natural accuracy"},
            {"robust_accuracy", "Robust accuracy (worst case over the attacks)", "robust accuracy"},
            {"perturbation_stability", "Perturbation stability", "stability"},
            {"local_lipschitz", "Local Lipschitz estimate", "local Lipschitz"},
    };

    /** The decomposition chart's title and caption. */
    static final String DECOMPOSITION_TITLE = "Robust accuracy ≥ natural accuracy − flip share";
    static final String DECOMPOSITION_CAPTION = "Each point is one run: x = natural accuracy − flip share (the "
            + "share of all test inputs whose clean prediction the attack changes, 1 − stability), y = robust "
            + "accuracy (inputs both correct and stable). Stability is measured on every input, including those "
            + "already misclassified, so x is a lower bound of y and points lie on or above the diagonal; the height "
            + "above it is the share of flipped inputs that were already wrong.";

    private StudyCharts() {}

    /** The file name of every chart a report can draw (its other files in charts/ are never touched). */
    public static java.util.Set<String> fileNames() {
        java.util.Set<String> names = new java.util.HashSet<>(List.of("war_lambda.png", "decomposition.png",
                "tuning_cost_examples.png", "tuning_cost_hours.png"));
        for (String[] m : METRICS) {
            names.add(m[0] + ".png");
        }
        return names;
    }

    /** Draws every chart the results allow. */
    public static List<Drawn> draw(StudyResults results) {
        System.setProperty("java.awt.headless", "true");
        List<Map<String, Object>> rows = results.table().points();
        List<Drawn> out = new ArrayList<>();
        for (String[] m : METRICS) {
            XYChart c = againstWidth(rows, m[0], m[1], m[2]);
            if (c != null) {
                out.add(new Drawn(m[0] + ".png", m[1], m[1] + " against width k, one line per fixed λ and one for "
                        + "WAR.", png(c)));
            }
        }
        XYChart t = trajectories(results.trajectories());
        if (t != null) {
            out.add(new Drawn("war_lambda.png", "WAR λ trajectories", "λ at every training batch of each WAR run.",
                    png(t)));
        }
        XYChart d = decomposition(rows);
        if (d != null) {
            out.add(new Drawn("decomposition.png", DECOMPOSITION_TITLE, DECOMPOSITION_CAPTION, png(d)));
        }
        Findings.TuningCost cost = Findings.TuningCost.of(rows);
        if (cost.fullGridExamples() > 0 && rows.stream().anyMatch(r -> "war".equals(r.get("kind")))) {
            out.add(new Drawn("tuning_cost_examples.png", "Tuning cost in training examples", "Training examples of "
                    + "a λ grid at every width against a grid at the reference width plus one WAR run per wider width.",
                    png(bars("Tuning cost: training examples", "training examples", "#,##0",
                            cost.fullGridExamples(), cost.warExamples()))));
            out.add(new Drawn("tuning_cost_hours.png", "Tuning cost in hours", "Hours of training on the machine "
                    + "that ran the study, for the same two ways of tuning λ.",
                    png(bars("Tuning cost: hours of training", "hours", "#,##0.###", cost.fullGridHours(),
                            cost.warHours()))));
        }
        return out;
    }

    private static XYChart againstWidth(List<Map<String, Object>> rows, String column, String title, String axis) {
        Map<String, TreeMap<Double, Double>> series = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            double v = num(r, column);
            if (Double.isNaN(v)) {
                continue;
            }
            String name = "war".equals(r.get("kind")) ? "WAR (" + r.get("war_rule") + ", λ₀ = "
                    + Findings.fmt(num(r, "lambda")) + ")" : "λ = " + Findings.fmt(num(r, "lambda"));
            series.computeIfAbsent(name, k -> new TreeMap<>()).put(num(r, "width"), v);
        }
        if (series.isEmpty()) {
            return null;
        }
        double min = series.values().stream().mapToDouble(TreeMap::firstKey).min().orElse(1);
        double max = series.values().stream().mapToDouble(TreeMap::lastKey).max().orElse(1);
        boolean log = max / min >= 4;
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(log ? "width factor k (log scale)" : "width factor k").yAxisTitle(axis).build();
        style(c);
        if (log) {
            // XChart's own log axis labels decades only; widths are usually powers of two, so plot log2 k and
            // label the whole powers of two
            c.setCustomXAxisTickLabelsFormatter(v -> Math.abs(v - Math.rint(v)) < 1e-9
                    ? Findings.fmt(Math.pow(2, Math.rint(v))) : "");
        }
        for (Map.Entry<String, TreeMap<Double, Double>> e : series.entrySet()) {
            List<Double> x = new ArrayList<>();
            for (double k : e.getValue().keySet()) {
                x.add(log ? Math.log(k) / Math.log(2) : k);
            }
            XYSeries s = c.addSeries(e.getKey(), x, new ArrayList<>(e.getValue().values()));
            if (e.getKey().startsWith("WAR")) {
                s.setLineWidth(3.5f);
            }
        }
        return c;
    }

    private static XYChart trajectories(Map<String, List<double[]>> trajectories) {
        if (trajectories.isEmpty()) {
            return null;
        }
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("WAR: λ during training")
                .xAxisTitle("batch").yAxisTitle("λ").build();
        style(c);
        c.getStyler().setMarkerSize(0);
        for (Map.Entry<String, List<double[]>> e : trajectories.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (double[] p : e.getValue()) {
                x.add(p[0]);
                y.add(p[1]);
            }
            c.addSeries(e.getKey(), x, y);
        }
        return c;
    }

    private static XYChart decomposition(List<Map<String, Object>> rows) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> wx = new ArrayList<>();
        List<Double> wy = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            double predicted = num(r, "natural_accuracy") - num(r, "flip_share");
            double robust = num(r, "robust_accuracy");
            if (Double.isNaN(predicted) || Double.isNaN(robust)) {
                continue;
            }
            ("war".equals(r.get("kind")) ? wx : x).add(predicted);
            ("war".equals(r.get("kind")) ? wy : y).add(robust);
        }
        if (x.isEmpty() && wx.isEmpty()) {
            return null;
        }
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Robust accuracy ≥ natural − flip share")
                .xAxisTitle("natural accuracy − flip share (lower bound)").yAxisTitle("robust accuracy").build();
        style(c);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(9);
        double lo = 1;
        double hi = 0;
        for (List<Double> l : List.of(x, y, wx, wy)) {
            for (double v : l) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        XYSeries diagonal = c.addSeries("y = x (no flip of a wrong input)", List.of(lo, hi), List.of(lo, hi));
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        if (!x.isEmpty()) {
            c.addSeries("fixed λ", x, y);
        }
        if (!wx.isEmpty()) {
            c.addSeries("WAR", wx, wy);
        }
        return c;
    }

    private static CategoryChart bars(String title, String axis, String pattern, double grid, double war) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("")
                .yAxisTitle(axis).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setDecimalPattern(pattern);
        c.getStyler().setYAxisDecimalPattern(pattern);
        c.getStyler().setYAxisMin(0.0);
        c.addSeries(axis, List.of("λ grid at every width", "grid at reference width + WAR"), List.of(grid, war));
        return c;
    }

    private static void style(XYChart c) {
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setXAxisDecimalPattern("0.##");
        c.getStyler().setYAxisDecimalPattern("0.###");
        c.getStyler().setMarkerSize(7);
    }

    private static byte[] png(Chart<?, ?> c) {
        try {
            // in memory: ImageIO's default disk cache in java.io.tmpdir fails there, naming no file, when the disk
            // or the file-size limit is reached
            javax.imageio.ImageIO.setUseCache(false);
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + c.getTitle() + "': " + e.getMessage(), e);
        }
    }
}
