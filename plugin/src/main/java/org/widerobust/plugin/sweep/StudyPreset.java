package org.widerobust.plugin.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The named, documented studies of {@code widerobust reproduce}: each is a list of {@code sweep} arguments (without
 * {@code --out}). Their sizes and measured durations are in {@code docs/results.md}.
 */
public enum StudyPreset {
    /**
     * Fashion-MNIST, {@code mlp} at widths 1, 2, 4, 8, TRADES with λ ∈ {1, 6} and WAR (ratio rule, reference
     * width 1, λ₀ = 6, the better λ at width 1): the README's main command, sized to finish within 15 minutes on a
     * 2-core machine: 6,000 training examples, 2 epochs, 5 PGD steps; evaluation with PGD-20 on 500 test images
     * (1 min 40 s – 2 min measured with the first build on the project's 2-core machine, docs/results.md).
     */
    QUICK("quick", "fashion-mnist", "Fashion-MNIST, mlp at widths 1,2,4,8, TRADES lambda 1 and 6 plus WAR; about 2 "
            + "minutes on 2 CPU cores",
            "--arch", "mlp", "--widths", "1,2,4,8", "--lambdas", "1,6", "--war", "ratio", "--war-reference-width", "1",
            "--war-lambda", "6", "--method", "trades", "--eps", "0.1", "--steps", "5", "--step-size", "0.03",
            "--epochs", "2", "--batch", "128", "--lr", "0.05", "--limit", "6000", "--seed", "1",
            "--checkpoint-every", "20", "--attack", "pgd", "--eval-steps", "20", "--eval-step-size", "0.01",
            "--eval-limit", "500", "--lipschitz-steps", "5"),
    /**
     * Fashion-MNIST, {@code smallcnn} at widths 1, 2, 4, TRADES with λ ∈ {1, 3, 6} and WAR (reference width 1,
     * λ₀ = 3): 8,000 training examples (1,000 of them held out for validation and the best checkpoint), 2 epochs,
     * 10 PGD steps; evaluation with PGD-20 on 1,000 test images. Sized for about two hours on a 2-core machine from
     * the measured training-step speed (135, 52 and 14 examples/s at k = 1, 2, 4, docs/benchmarks.md); resumable,
     * so it can span interrupted runs.
     */
    FULL("full", "fashion-mnist", "Fashion-MNIST, smallcnn at widths 1,2,4, TRADES lambda 1,3,6 plus WAR; about 2 "
            + "hours on 2 CPU cores, resumable",
            "--arch", "smallcnn", "--widths", "1,2,4", "--lambdas", "1,3,6", "--war", "ratio", "--war-reference-width",
            "1", "--war-lambda", "3", "--method", "trades", "--eps", "0.1", "--steps", "10", "--step-size", "0.025",
            "--epochs", "2", "--batch", "128", "--lr", "0.01", "--limit", "8000", "--val", "1000", "--seed", "1",
            "--checkpoint-every", "20", "--attack", "pgd", "--eval-steps", "20", "--eval-step-size", "0.025",
            "--eval-limit", "1000"),
    /**
     * The paper's study, for a GPU: WRN-34 at widths 1, 5, 10; TRADES with λ ∈ {6, 9, 12, 18} and WAR; ε = 0.031,
     * 10 steps of 0.007, SGD lr 0.1, momentum 0.9 (the trainer's default), weight decay 2e-4, piecewise decay at 75
     * and 90 of 100 epochs; evaluation with PGD-20 (step 0.003), CW-20 and AutoAttack on the 10,000 test images;
     * the epoch with the best validation robust accuracy.
     */
    CIFAR10_WRN("cifar10-wrn", null, "CIFAR-10, WRN-34 at widths 1,5,10, TRADES lambda 6,9,12,18 plus WAR, 100 "
            + "epochs: the paper's study, for a GPU (an estimated 100-200 GPU-hours); needs --data cifar10:DIR",
            "--arch", "wrn-34", "--widths", "1,5,10", "--lambdas", "6,9,12,18", "--war", "ratio",
            "--war-reference-width", "1", "--war-lambda", "6", "--method", "trades", "--eps", "0.031", "--steps", "10",
            "--step-size", "0.007", "--epochs", "100", "--batch", "128", "--lr", "0.1", "--weight-decay", "2e-4",
            "--augment", "--val", "1000", "--seed", "1", "--checkpoint-every", "100",
            "--attack", "pgd,pgd-cw,autoattack", "--eval-steps", "20", "--eval-step-size", "0.003",
            "--eval-limit", "10000");

    private final String id;
    private final String data;
    private final String description;
    private final List<String> args;

    StudyPreset(String id, String data, String description, String... args) {
        this.id = id;
        this.data = data;
        this.description = description;
        this.args = List.of(args);
    }

    /** The name on the command line. */
    public String id() {
        return id;
    }

    /** The preset's data spec, or null if the user must give one ({@code cifar10-wrn}). */
    public String data() {
        return data;
    }

    /** One line for help and listings. */
    public String description() {
        return description;
    }

    /** The sweep arguments for data {@code data} and output {@code out}, without the verb. */
    public List<String> sweepArgs(String data, String out) {
        List<String> a = new ArrayList<>(List.of("--data", data));
        a.addAll(args);
        a.add("--out");
        a.add(out);
        return a;
    }

    /**
     * The preset named {@code name}.
     *
     * @throws IllegalArgumentException listing the presets
     */
    public static StudyPreset parse(String name) {
        for (StudyPreset p : values()) {
            if (p.id.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "'; presets: "
                + String.join(", ", Arrays.stream(values()).map(StudyPreset::id).toList()));
    }
}
