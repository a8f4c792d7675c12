package org.widerobust.plugin.model;

import java.util.ArrayList;
import java.util.List;

import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.tribuo.provenance.ModelProvenance;
import org.widerobust.adapters.data.DenseDataset;
import org.widerobust.adapters.data.ExampleTensorMapper;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.adapters.imports.ImportException;
import org.widerobust.adapters.imports.ImportedModel;
import org.widerobust.adapters.network.NetworkSession;
import org.widerobust.descriptors.autodiff.Blocker;
import org.widerobust.descriptors.autodiff.Differentiator;
import org.widerobust.descriptors.autodiff.GradientBlockedException;
import org.widerobust.descriptors.network.Network;
import org.widerobust.plugin.attack.AttackTarget;
import org.widerobust.plugin.attack.NetworkTarget;
import org.widerobust.plugin.attack.SessionTarget;
import org.widerobust.plugin.train.NetworkModel;

/**
 * A model as {@link ModelLoader} loaded it: either an imported ONNX network (white-box) or a Tribuo model
 * (white-box if it is a widerobust {@link NetworkModel}, through its own graph, or an {@link ONNXExternalModel} whose
 * feature layout matches the data; else black-box). The
 * attack target is bound to the data by {@link #bind(DenseDataset)}, which checks shapes and aligns labels.
 * Close it to release the ONNX Runtime sessions.
 */
public final class LoadedModel implements AutoCloseable {

    private final String description;
    private final Network network;
    private final Model<Label> tribuoModel;
    private final ModelProvenance provenance;
    private final Engine engine;
    private final List<String> warnings = new ArrayList<>();
    private final boolean ownsModel;
    private NetworkSession session;
    private List<Blocker> gradientBlockers = List.of();

    /** What a bound model offers the evaluator. */
    public record Bound(AttackTarget target, Model<Label> model, DenseDataset data, boolean whiteBox) {}

    LoadedModel(String description, Network network, Model<Label> tribuoModel, ModelProvenance provenance,
                Engine engine, List<String> warnings, boolean ownsModel) {
        this.ownsModel = ownsModel;
        this.description = description;
        this.network = network;
        this.tribuoModel = tribuoModel;
        this.provenance = provenance;
        this.engine = engine;
        this.warnings.addAll(warnings);
    }

    /** A short description, e.g. {@code onnx mlp/model.onnx} or {@code tribuo LinearSGDModel}. */
    public String description() {
        return description;
    }

    /** The Tribuo model, or null for an imported ONNX file. */
    public Model<Label> tribuoModel() {
        return tribuoModel;
    }

    /** The model's provenance. */
    public ModelProvenance provenance() {
        return provenance;
    }

    /** Doubts found while loading (e.g. probability outputs); more may be added by {@link #bind}. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Binds the model to data: checks the example shape, aligns the data's labels with the model's classes and
     * builds the attack target.
     *
     * @throws ModelLoadException on a shape or label mismatch, naming both sides
     * @throws IllegalArgumentException when a value of the data lies outside the model's input domain (the box the
     *         attacks project into: a widerobust model's declared domain, [0, 1] for other models), naming the
     *         example and the feature
     */
    public Bound bind(DenseDataset data) {
        Bound b = bindUnchecked(data);
        if (!(tribuoModel instanceof NetworkModel)) { // a NetworkModel's data is checked against its own domain
            // attacks project into the target's input box, so data outside it would give figures for examples the
            // threat model does not contain
            InputDomain.check(b.data(), b.target().inputBounds(), "evaluation data for " + description);
        }
        return b;
    }

    private Bound bindUnchecked(DenseDataset data) {
        if (network != null) {
            Shapes.checkCompatible(description, network.exampleShape(), data.exampleShape());
            if (network.numClasses() != data.numClasses()) {
                throw new ModelLoadException("class mismatch: model " + description + " has " + network.numClasses()
                        + " outputs but the data has " + data.numClasses() + " classes");
            }
            gradientBlockers = Differentiator.blockers(network);
            boolean white = gradientBlockers.isEmpty();
            AttackTarget t = white ? new NetworkTarget(session()) : new SessionTarget(session());
            return new Bound(t, TargetModel.of(description, t, data, provenance), data, white);
        }
        List<String> modelLabels = ExampleTensorMapper.labelNamesOf(tribuoModel.getOutputIDInfo());
        DenseDataset aligned = Labels.align(data, modelLabels, description);
        if (tribuoModel instanceof NetworkModel nm) {
            return bindNetworkModel(nm, aligned);
        }
        if (tribuoModel instanceof ONNXExternalModel<Label> onnx) {
            OnnxExternalModels.Contents c = OnnxExternalModels.contents(onnx);
            if (OnnxExternalModels.identityLayout(onnx, c.forwardFeatureMapping(), data.featureNames())) {
                try {
                    ImportedModel im = OnnxImports.fromModel(OnnxExternalModels.sourceName(onnx), c.graph());
                    warnings.addAll(im.warnings());
                    Shapes.checkCompatible(description, im.network().exampleShape(), data.exampleShape());
                    List<Blocker> blockers = Differentiator.blockers(im.network());
                    if (!blockers.isEmpty()) {
                        gradientBlockers = blockers;
                        warnings.add(GradientBlockedException.message("the ONNX graph inside the Tribuo model",
                                blockers) + "; attacking it as a black box");
                    } else if (im.network().numClasses() == modelLabels.size()) {
                        session = new NetworkSession(engine, im.network());
                        return new Bound(new NetworkTarget(session), tribuoModel, aligned, true);
                    }
                    warnings.add("the ONNX graph has " + im.network().numClasses() + " outputs but the Tribuo model "
                            + modelLabels.size() + " labels; attacking it as a black box");
                } catch (ImportException e) {
                    warnings.add("cannot differentiate the ONNX graph inside the Tribuo model (" + e.getMessage()
                            + "); attacking it as a black box");
                }
            } else {
                warnings.add("the Tribuo ONNX model's feature layout differs from the data's; attacking it as a "
                        + "black box");
            }
        }
        AttackTarget t = new TribuoModelTarget(tribuoModel, data.featureNames(), data.exampleShape(),
                InputDomain.UNIT);
        return new Bound(t, tribuoModel, aligned, false);
    }

    /**
     * Why the model's input gradient cannot be built (op, node, reason), found by the last {@link #bind}; empty when
     * it can, or when the model is not an ONNX graph.
     */
    public List<Blocker> gradientBlockers() {
        return gradientBlockers;
    }

    /**
     * A widerobust model, white-box through its own graph and gradients: the data's features are put in the model's
     * tensor order, checked against its declared input domain, and the model itself stands for the target (so the
     * evaluation's provenance is the model's training provenance).
     */
    private Bound bindNetworkModel(NetworkModel nm, DenseDataset data) {
        DenseDataset ordered = Features.reorder(data, nm.featureNames(), nm.exampleShape(), description);
        if (nm.inputScale() != 1f) {
            float[] x = ordered.data().clone();
            for (int i = 0; i < x.length; i++) {
                x[i] *= nm.inputScale();
            }
            ordered = ordered.withData(x, "scaled by " + nm.inputScale());
        }
        InputDomain.check(ordered, nm.inputDomain(), "evaluation data for " + description); // per-feature bounds too
        if (session != null) {
            session.close();
        }
        session = new NetworkSession(engine, nm.network());
        return new Bound(new NetworkTarget(session), nm, ordered, true);
    }

    private NetworkSession session() {
        if (session == null) {
            session = new NetworkSession(engine, network);
        }
        return session;
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
        if (ownsModel && tribuoModel instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing an ONNX Runtime session of Tribuo's; nothing to do
            }
        }
    }
}
