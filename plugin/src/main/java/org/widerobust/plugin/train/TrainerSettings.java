package org.widerobust.plugin.train;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.data.ExampleTensorMapper;
import org.widerobust.adapters.data.PixelFeatureNames;
import org.widerobust.descriptors.network.Families;
import org.widerobust.datasets.ImageConverter;
import org.widerobust.descriptors.network.NetworkDescriptor;
import org.widerobust.plugin.attack.ThreatModelMath;
import org.widerobust.plugin.model.InputDomain;

/**
 * The rules that turn an {@link AdversarialTrainer}'s configuration into what a run uses: the network (with the
 * effective family and width recorded), the declared input domain, the seed of the n-th invocation, the checkpoint
 * file, and the refusal of example weights.
 */
final class TrainerSettings {
    private static final Pattern WRN = Pattern.compile("(wrn-\\d+)-.*");

    private TrainerSettings() {}

    /**
     * Resolves {@code network}, {@code family} and {@code width}: the network is built from family and width when
     * unset; family and width are set to those of the network that runs; a family or width that does not describe
     * a configured network is a {@link PropertyException} naming both fields.
     */
    static void resolveNetwork(AdversarialTrainer t) {
        NetworkDescriptor d = t.descriptor();
        String family = t.family() == null ? "" : t.family().trim();
        double width = t.width();
        if (!(width >= 0) || Double.isInfinite(width)) {
            throw new PropertyException("", "width", "the width factor must be positive and finite (0: the family's "
                    + "default), got " + width);
        }
        if (d == null) {
            String f = family.isEmpty() ? "smallcnn" : family;
            double w = width != 0 ? width : f.toLowerCase(java.util.Locale.ROOT).startsWith("wrn") ? 10 : 1;
            try {
                d = Families.create(f, w);
            } catch (IllegalArgumentException e) {
                throw new PropertyException("", "family", e.getMessage());
            }
            t.resolvedNetwork(d, familyOf(d), d.width());
            return;
        }
        if (!family.isEmpty() || width != 0) {
            String f = family.isEmpty() ? familyOf(d) : family;
            double w = width != 0 ? width : d.width();
            String asked;
            try {
                asked = Families.create(f, w).describe();
            } catch (IllegalArgumentException e) {
                asked = f + " width " + w + " (" + e.getMessage() + ")";
            }
            if (!asked.equals(d.describe())) {
                throw new PropertyException("", "family", "network and family/width contradict each other: network "
                        + "is " + d.describe() + " but family '" + f + "' with width " + w + " is " + asked
                        + "; set only one of them");
            }
        }
        t.resolvedNetwork(d, familyOf(d), d.width());
    }

    /** The family name that {@link Families#create(String, double)} takes for this network, e.g. {@code wrn-16}. */
    static String familyOf(NetworkDescriptor d) {
        Matcher m = WRN.matcher(d.describe());
        return m.matches() ? m.group(1) : d.family();
    }

    /** The declared domain of a run: see {@code AdversarialTrainer.inputDomain}. */
    static float[] domain(String spec, DenseDataset data, boolean converted) {
        String s = spec.trim();
        if (s.equalsIgnoreCase("auto")) {
            return converted || PixelFeatureNames.isPixelNames(data.featureNames()) ? InputDomain.UNIT.clone()
                    : InputDomain.fromData(data);
        }
        if (s.equalsIgnoreCase("data")) {
            return InputDomain.fromData(data);
        }
        return InputDomain.parse(s);
    }

    /**
     * A Tribuo dataset as dense data: features in the order of its feature map (sorted names; pixel names give
     * {@code [C, H, W]}), or, with an image converter, in the converter's tensor order and scaled to [0, 1].
     */
    static DenseDataset dense(Dataset<Label> examples, ImageConverter converter) {
        if (converter == null) {
            return ExampleTensorMapper.forDataset(examples).toDense(examples);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < examples.getFeatureIDMap().size(); i++) {
            names.add(examples.getFeatureIDMap().get(i).getName());
        }
        List<String> tensor;
        try {
            tensor = converter.tensorFeatureNames(names);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(converter + ": " + e.getMessage(), e);
        }
        DenseDataset raw = new ExampleTensorMapper(tensor, converter.shape(),
                ExampleTensorMapper.labelNamesOf(examples.getOutputIDInfo()),
                ExampleTensorMapper.UnknownFeatures.FAIL).toDense(examples);
        float[] x = raw.data().clone();
        float s = converter.scale();
        for (int i = 0; i < x.length; i++) {
            x[i] *= s;
        }
        return raw.withData(x, "pixels scaled by " + s);
    }

    /** The trainer provenance without the settings that do not apply to this run. */
    static TrainerProvenance applicable(TrainerProvenanceImpl full, TrainingMethod method, boolean noCheckpoints,
                                        boolean noConverter, boolean noFeatureBounds, boolean validation) {
        Set<String> drop = new HashSet<>();
        if (method == TrainingMethod.NATURAL) {
            drop.addAll(List.of("attackSteps", "lambda", "lambdaRule"));
            if (!validation) {
                drop.addAll(List.of("epsilon", "stepSize")); // the validation attack is the only one that uses them
            }
        }
        if (noCheckpoints) {
            drop.add("checkpointEvery");
        }
        if (noConverter) {
            drop.add("imageConverter");
        }
        if (noFeatureBounds) {
            drop.add("featureBounds");
        }
        if (drop.isEmpty()) {
            return full;
        }
        Map<String, Provenance> map = new LinkedHashMap<>();
        for (Pair<String, Provenance> p : full) {
            if (!drop.contains(p.getA())) {
                map.put(p.getA(), p.getB());
            }
        }
        return new TrainerProvenanceImpl(map);
    }

    /**
     * The domain with configured per-feature bounds applied ({@code name -> LO:HI}); a per-feature domain whenever
     * any are given.
     *
     * @throws IllegalArgumentException naming a configured feature the data does not have
     */
    static float[] withFeatureBounds(float[] domain, Map<String, String> bounds, List<String> features) {
        if (bounds.isEmpty()) {
            return domain;
        }
        int f = features.size();
        float[] d = new float[2 * f];
        for (int j = 0; j < f; j++) {
            d[j] = ThreatModelMath.lower(domain, j);
            d[f + j] = ThreatModelMath.upper(domain, j);
        }
        for (Map.Entry<String, String> e : bounds.entrySet()) {
            int j = features.indexOf(e.getKey());
            if (j < 0) {
                throw new IllegalArgumentException("featureBounds names feature '" + e.getKey() + "' which the "
                        + "training data does not have");
            }
            float[] b = InputDomain.parse(e.getValue());
            d[j] = b[0];
            d[f + j] = b[1];
        }
        return d;
    }

    /** The seed of invocation {@code n}: the seed itself for n = 0, else a mix of both. */
    static long invocationSeed(long seed, int n) {
        if (n == 0) {
            return seed;
        }
        long z = seed + 0x9E3779B97F4A7C15L * n;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The checkpoint file of a run in {@code dir} (null if empty): {@link Checkpoint#FILE} when resuming or when it
     * does not exist yet; otherwise (it belongs to another run) {@code checkpoint-<fingerprint hash>-<invocation>[-k]}
     * with the first free {@code k}, so that a run never overwrites another run's checkpoint; {@code warning} hears
     * which file it chose.
     */
    static Path checkpointFor(String dir, boolean resume, String fingerprint, int invocation,
                              java.util.function.Consumer<String> warning) {
        if (dir.isEmpty()) {
            return null;
        }
        Path standard = Path.of(dir).resolve(Checkpoint.FILE);
        if (resume || !Files.exists(standard)) {
            return standard;
        }
        String base = "checkpoint-" + ModelRunProvenance.sha256(fingerprint.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).substring(0, 12) + "-" + invocation;
        Path p = Path.of(dir).resolve(base + ".ckpt");
        for (int k = 2; Files.exists(p); k++) {
            p = Path.of(dir).resolve(base + "-" + k + ".ckpt");
        }
        warning.accept(standard + " belongs to another run; this run checkpoints to " + p);
        return p;
    }

    /**
     * A warning when an image converter's pixel scale divides data that was already in [0, 1] (Tribuo data scaled
     * before it reached the converter): every pixel then lies in [0, scale], and ε, in the network's units, is
     * {@code 1/scale} times too large against the images.
     *
     * @param scaled    the data after the converter
     * @param converter the converter, or null
     * @return the warning, or null when there is no converter scale or the raw data goes above 1
     */
    static String rescaledUnitDataWarning(DenseDataset scaled, ImageConverter converter) {
        if (converter == null || !(converter.pixelScale() >= 2) || scaled.size() == 0) {
            return null;
        }
        float scale = converter.scale();
        float max = 0;
        for (float v : scaled.data()) {
            max = Math.max(max, v);
        }
        if (max > scale) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "after the image converter's pixelScale %s every pixel is at most "
                + "%s: the data was already in [0, 1]; use pixelScale 1", converter.pixelScale(), max);
    }

    /**
     * The data's description without the times Tribuo records when a data source is created
     * ({@code datasource-creation-time=...}), which differ between two readings of the same data: the description
     * as a run's fingerprint sees it.
     */
    static String stableDescription(String description) {
        return description == null ? "" : description.replaceAll("[,;]?\\s*[\\w-]*creation-time\\s*=\\s*[^,;)\\]]*", "");
    }

    /**
     * Refuses example weights other than 1: the training losses are unweighted means.
     *
     * @throws IllegalArgumentException naming the first weighted example
     */
    static void checkWeights(Dataset<Label> data) {
        int i = 0;
        for (Example<Label> e : data) {
            if (e.getWeight() != 1f) {
                throw new IllegalArgumentException("example " + i + " has weight " + e.getWeight()
                        + "; AdversarialTrainer's losses are unweighted means over the batch and do not support "
                        + "example weights (set all weights to 1, or resample the data instead)");
            }
            i++;
        }
    }
}
