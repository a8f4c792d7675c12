package org.widerobust.plugin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a point's files tolerantly: the trainer of issue 8 (λ per epoch as {last, mean}, risks, validation, a
 * best model, a per-batch JSON-lines history) and an older trainer that recorded none of it.
 */
class PointResultsTest {
    private static final String EVAL = "{\"natural_accuracy\": 0.8, \"robust_accuracy\": 0.5, "
            + "\"perturbation_stability\": 0.6, \"local_lipschitz\": 12.5, \"seconds\": 3.0, "
            + "\"model_file\": \"m.onnx\", \"per_attack\": {\"pgd\": {\"robust_accuracy\": 0.55}, "
            + "\"apgd-ce\": {\"robust_accuracy\": 0.5}}}";
    private static final String DATA = "\"data\": {\"example_shape\": [1, 28, 28], \"classes\": "
            + "[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}";

    @Test
    void readsTheWarTrainersHistory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("train.json"), "{\"config\": {\"lambda\": 6, \"epsilon\": 0.1}, " + DATA
                + ", \"epochs\": ["
                + "{\"epoch\": 1, \"examples\": 100, \"seconds\": 2, \"natural_risk\": 1.2, \"robust_regularization\": "
                + "0.2, \"lambda\": {\"last\": 6.5, \"mean\": 6.2}, \"ratio\": 0.17, \"local_lipschitz\": 3.0},"
                + "{\"epoch\": 2, \"examples\": 300, \"seconds\": 4, \"natural_risk\": 0.9, \"robust_regularization\": "
                + "0.25, \"lambda\": {\"last\": 7.0, \"mean\": 6.8}, \"ratio\": 0.28, \"local_lipschitz\": 3.5, "
                + "\"val_natural_accuracy\": 0.7, \"val_robust_accuracy\": 0.4, \"val_stability\": 0.6}], "
                + "\"examples_trained\": 0, \"seconds\": 1}");
        Files.writeString(dir.resolve("eval.json"), EVAL);
        Files.writeString(dir.resolve("train-batches.jsonl"), "{\"epoch\":1,\"batch\":1,\"lambda\":6.0}\n"
                + "{\"epoch\":1,\"batch\":2,\"lambda\":6.5}\n{\"epoch\":2,\"batch\":1,\"lambda\":7.0}\n{\"epoch\":2,\"ba");
        Files.writeString(dir.resolve("model.onnx"), "last");
        Files.writeString(dir.resolve("best.onnx"), "best");
        SweepPoint p = new SweepPoint(2, 6, "ratio", "k1-lambda6");
        Map<String, Object> r = PointResults.row(p, "mlp", dir);
        assertEquals(7.0, r.get("lambda_final"));
        assertEquals((6.2 * 100 + 6.8 * 300) / 400, (Double) r.get("lambda_mean"), 1e-12);
        assertEquals(0.9, r.get("natural_risk"));
        assertEquals(0.25, r.get("robust_regularization"));
        assertEquals(0.28, r.get("ratio"));
        assertEquals(3.5, r.get("train_local_lipschitz"));
        assertEquals(0.4, r.get("val_robust_accuracy"));
        assertEquals(0.55, r.get("robust_accuracy_pgd"));
        assertEquals(0.5, r.get("robust_accuracy_apgd-ce"));
        assertEquals(0.4, (Double) r.get("flip_share"), 1e-12);
        assertEquals(400.0, r.get("train_examples"), "summed over the epochs, also after a --resume");
        assertEquals(6.0, r.get("train_seconds"));
        assertEquals(669_706L, r.get("parameters"));
        assertEquals(668_672L, r.get("multiply_adds"));
        assertEquals(dir.resolve("best.onnx"), PointResults.modelToEvaluate(dir), "the best-validation model");
        List<double[]> t = PointResults.lambdaTrajectory(dir);
        assertEquals(3, t.size(), "a line cut by a kill is skipped");
        assertEquals(3, t.get(2)[0], "batches counted over the whole run");
        assertEquals(7.0, t.get(2)[1]);
    }

    @Test
    void anOlderTrainerGivesNullsNotErrors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("train.json"), "{\"config\": {\"lambda\": 3}, " + DATA + ", \"epochs\": ["
                + "{\"epoch\": 1, \"examples\": 100, \"seconds\": 2, \"loss\": 1.0}], \"examples_trained\": 100, "
                + "\"seconds\": 2}");
        Files.writeString(dir.resolve("eval.json"), EVAL);
        Files.writeString(dir.resolve("model.onnx"), "last");
        Map<String, Object> fixed = PointResults.row(SweepPoint.fixed(1, 3), "mlp", dir);
        assertEquals(3.0, fixed.get("lambda_final"), "a fixed point's λ is its configured λ");
        assertEquals(3.0, fixed.get("lambda_mean"));
        assertNull(fixed.get("natural_risk"));
        assertNull(fixed.get("val_robust_accuracy"));
        Map<String, Object> war = PointResults.row(new SweepPoint(1, 3, "ratio", null), "mlp", dir);
        assertNull(war.get("lambda_final"), "a WAR point's λ is not recorded by an older trainer");
        assertEquals(dir.resolve("model.onnx"), PointResults.modelToEvaluate(dir));
        assertEquals(0, PointResults.lambdaTrajectory(dir).size());
    }

    /** The CSV shows 12 significant digits (a field report: flip_share read 0.46799999999999997). */
    @Test
    void csvCellsHaveNoFloatNoise() {
        java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("flip_share", 1 - 0.532);
        row.put("width", 4.0);
        row.put("lambda", 1.0 / 3);
        row.put("name", "a,b");
        String csv = new ResultsTable(java.util.Map.of(), java.util.List.of(row)).csv();
        org.junit.jupiter.api.Assertions.assertEquals("flip_share,width,lambda,name\n0.468,4,0.333333333333,\"a,b\"\n",
                csv);
    }
}
