package org.widerobust.plugin.train.war;

import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tribuo.provenance.ModelProvenance;
import org.widerobust.plugin.train.NetworkModel;
import org.widerobust.plugin.train.TrainingHistory;

/**
 * The reference run of Width Adjusted Regularization's {@code ratio} rule, as its model's provenance records it:
 * ρ_ref ({@link TrainingHistory#referenceRatio(ModelProvenance, String)}) and the settings it was trained with. WAR
 * keeps the balance of a narrower run trained with the same objective and ε at λ₀ (Wu et al., NeurIPS 2021, Sec. 4),
 * so {@link #mismatches} names every way a run departs from that.
 *
 * @param ratio   ρ_ref = R̄_rob / R̄_nat of the reference's last epoch
 * @param method  the reference's training method ({@code trades}, {@code pgd}), or {@code null} if not recorded
 * @param epsilon its training ε in input units, NaN if not recorded
 * @param family  its network family, or {@code null} if not recorded
 * @param width   its width factor k, NaN if not recorded
 * @param lambda  its λ₀, NaN if not recorded
 * @param best    whether the file is its run's best-validation checkpoint ({@code best.tribuo}) from an epoch
 *                before the last, so that its history, and ρ_ref, end there
 */
public record ReferenceRun(double ratio, String method, double epsilon, String family, double width, double lambda,
                           boolean best) {

    /**
     * Reads a reference run.
     *
     * @param modelFile the reference's {@code model.tribuo}, or its run directory (which holds one)
     * @throws IllegalArgumentException naming the file if it cannot be read or carries no robust history
     */
    public static ReferenceRun read(Path modelFile) {
        if (Files.isDirectory(modelFile)) {
            modelFile = modelFile.resolve("model.tribuo");
        }
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("reference model " + modelFile + " does not exist");
        }
        ModelProvenance mp;
        int epochsInHistory;
        try (NetworkModel m = NetworkModel.load(modelFile)) {
            mp = m.getProvenance();
            epochsInHistory = m.history().size();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read reference model " + modelFile + ": " + e.getMessage(), e);
        }
        double ratio = TrainingHistory.referenceRatio(mp, modelFile.toString());
        Map<String, Provenance> c = mp.getTrainerProvenance().getConfiguredParameters();
        double epochs = number(c.get("epochs"));
        boolean best = "best".equals(TrainingHistory.checkpoint(mp)) && epochsInHistory < epochs; // before the last
        return new ReferenceRun(ratio, text(c.get("method")), number(c.get("epsilon")), text(c.get("family")),
                number(c.get("width")), number(c.get("lambda")), best);
    }

    /**
     * How a run departs from what WAR's reference should be: a best-epoch checkpoint, another method, ε or family, a
     * wider reference, or another λ than the run's λ₀. Settings the reference does not record are not compared.
     *
     * @return one sentence per mismatch; empty when the reference fits
     */
    public List<String> mismatches(String runMethod, double runEpsilon, String runFamily, double runWidth,
                                   double lambda0) {
        List<String> out = new ArrayList<>();
        if (best) {
            out.add("the WAR reference is its run's best-validation checkpoint: rho_ref comes from that epoch, not "
                    + "from the last one, where the run's lambda0 ended its balance (docs/war.md); give the run's "
                    + "model.tribuo");
        }
        if (method != null && !method.equalsIgnoreCase(runMethod)) {
            out.add(String.format(Locale.ROOT, "the WAR reference was trained with method %s, this run with %s: "
                    + "their R_rob / R_nat are not comparable", method, runMethod));
        }
        if (!Double.isNaN(epsilon) && !same(epsilon, runEpsilon)) {
            out.add(String.format(Locale.ROOT, "the WAR reference was trained at eps %s, this run at %s: "
                    + "rho depends on eps", fmt(epsilon), fmt(runEpsilon)));
        }
        if (family != null && !family.isEmpty() && !family.equalsIgnoreCase(runFamily)) {
            out.add(String.format(Locale.ROOT, "the WAR reference is a %s network, this run a %s", family,
                    runFamily));
        }
        if (!Double.isNaN(width) && width > runWidth) {
            out.add(String.format(Locale.ROOT, "the WAR reference is wider (k = %s) than this run (k = %s): WAR "
                    + "enlarges lambda for networks wider than a narrow reference", fmt(width), fmt(runWidth)));
        }
        if (!Double.isNaN(lambda) && !same(lambda, lambda0)) {
            out.add(String.format(Locale.ROOT, "the WAR reference was trained at lambda %s, this run starts at "
                    + "lambda0 %s: the reference should be the run at lambda0", fmt(lambda), fmt(lambda0)));
        }
        return out;
    }

    /** The reference's settings as a JSON-ready map (null where not recorded). */
    Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("epsilon", Double.isNaN(epsilon) ? null : epsilon);
        m.put("family", family);
        m.put("width", Double.isNaN(width) ? null : width);
        m.put("lambda", Double.isNaN(lambda) ? null : lambda);
        return m;
    }

    private static boolean same(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "");
    }

    private static String text(Provenance p) {
        return p instanceof PrimitiveProvenance<?> pp && pp.getValue() != null ? pp.getValue().toString() : null;
    }

    private static double number(Provenance p) {
        if (p instanceof PrimitiveProvenance<?> pp && pp.getValue() instanceof Number n) {
            return n.doubleValue();
        }
        return Double.NaN;
    }
}
