package org.widerobust.plugin.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one home of the command-line contract between a sweep and the {@code train} and {@code evaluate} commands:
 * the argument lists that train and evaluate one point. The trainer is never copied; a point is exactly what
 * {@code widerobust train …} and {@code widerobust evaluate …} with these arguments produce.
 * <p>
 * WAR points use the options of the WAR trainer: {@code --war ratio --war-reference REF/model.tribuo} (or
 * {@code --war-ratio R}), {@code --war power --war-power P --war-reference-width K0}, with {@code --lambda λ₀}.
 */
public final class PointCommands {
    /** The file a finished training run writes, by which a point's training counts as done. */
    public static final String TRAIN_JSON = "train.json";
    /** The evaluation report of a point. */
    public static final String EVAL_JSON = "eval.json";
    /** The trainer's checkpoint directory; its presence means a training run can be resumed. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The Tribuo model of a run, whose training history gives a WAR reference's ρ_ref. */
    public static final String TRIBUO_MODEL = "model.tribuo";

    /** Options that choose where and how fast, not what: left out of a point's fingerprint. */
    private static final Set<String> NOT_IN_FINGERPRINT = Set.of("--device", "--threads", "--quiet");

    private final String data;
    private final String arch;
    private final Map<String, String> trainOptions;
    private final Map<String, String> evalOptions;
    private final Map<String, String> warOptions;
    private final Map<String, String> runOptions;

    /**
     * @param data         the data spec, e.g. {@code fashion-mnist}
     * @param arch         the family, e.g. {@code mlp}
     * @param trainOptions further {@code train} options, name (with {@code --}) to value, null for a flag; passed
     *                     in order to every point's training
     * @param warOptions   further options only for WAR points, e.g. {@code --war-gamma}
     * @param evalOptions  {@code evaluate} options (attack, eps, steps, limit, …) in the same form
     * @param runOptions   device and thread options, given to both commands and left out of fingerprints
     */
    public PointCommands(String data, String arch, Map<String, String> trainOptions, Map<String, String> warOptions,
                         Map<String, String> evalOptions, Map<String, String> runOptions) {
        this.data = data;
        this.arch = arch;
        this.trainOptions = new LinkedHashMap<>(trainOptions);
        this.warOptions = new LinkedHashMap<>(warOptions);
        this.evalOptions = new LinkedHashMap<>(evalOptions);
        this.runOptions = new LinkedHashMap<>(runOptions);
    }

    /** The data spec. */
    public String data() {
        return data;
    }

    /** The family. */
    public String arch() {
        return arch;
    }

    /** The value of a training option as given, or null. */
    public String trainOption(String name) {
        return trainOptions.get(name);
    }

    /**
     * {@code train} arguments (without the verb) for a point.
     *
     * @param dir            the point's directory ({@code --out})
     * @param referenceModel the reference run's Tribuo model for a {@code ratio} WAR point, else null
     * @param resume         continue from {@code dir/checkpoints}
     */
    public List<String> train(SweepPoint p, Path dir, Path referenceModel, boolean resume) {
        List<String> a = new ArrayList<>(List.of("train", "--arch", arch, "--width", SweepPoint.format(p.width()),
                "--data", data));
        if (!"natural".equalsIgnoreCase(String.valueOf(trainOptions.get("--method")).trim())) {
            a.add("--lambda"); // natural training has none, and refuses one
            a.add(SweepPoint.format(p.lambda()));
        }
        add(a, trainOptions);
        if (p.isWar()) {
            a.add("--war");
            a.add(p.war());
            if (referenceModel != null) {
                a.add("--war-reference");
                a.add(referenceModel.toString());
            }
            add(a, warOptions);
        }
        add(a, runOptions);
        a.add("--quiet");
        a.add("--out");
        a.add(dir.toString());
        if (resume) {
            a.add("--resume");
        }
        return a;
    }

    /**
     * {@code evaluate} arguments for a trained model, writing {@code json}.
     *
     * @param trainedEps the ε the model was trained with (from its {@code train.json}), used as the evaluation's
     *                   {@code --eps} unless the evaluation options give one; null if unknown
     */
    public List<String> evaluate(Path model, Path json, Double trainedEps) {
        List<String> a = new ArrayList<>(List.of("evaluate", "--model", model.toString(), "--data", data));
        add(a, evalOptions);
        if (!evalOptions.containsKey("--eps")) {
            a.add("--eps");
            a.add(trainedEps == null ? "TRAINED_EPS" : SweepPoint.format(trainedEps));
        }
        add(a, runOptions);
        a.add("--json");
        a.add(json.toString());
        return a;
    }

    /**
     * What determines a point's result: its training and evaluation arguments without paths, device and threads.
     * A finished point is reused only if its fingerprint is unchanged.
     */
    public String fingerprint(SweepPoint p) {
        List<String> t = train(p, Path.of("DIR"), p.referenceId() == null ? null : Path.of("REF"), false);
        List<String> e = evaluate(Path.of("MODEL"), Path.of("JSON"), null);
        return String.join(" ", strip(t)) + " | " + String.join(" ", strip(e));
    }

    private static List<String> strip(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String s = args.get(i);
            if (NOT_IN_FINGERPRINT.contains(s)) {
                if (!s.equals("--quiet")) {
                    i++;
                }
                continue;
            }
            out.add(s);
        }
        return out;
    }

    private static void add(List<String> args, Map<String, String> options) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            args.add(e.getKey());
            if (e.getValue() != null) {
                args.add(e.getValue());
            }
        }
    }
}
