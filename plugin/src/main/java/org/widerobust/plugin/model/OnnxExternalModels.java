package org.widerobust.plugin.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.interop.onnx.ONNXExternalModel;
import org.tribuo.interop.onnx.protos.ONNXExternalModelProto;
import org.tribuo.protos.core.ModelProto;

/**
 * Reads what a white-box attack needs out of Tribuo's {@link ONNXExternalModel}: the ONNX graph and the mapping from
 * Tribuo feature ids to graph input positions. Tribuo 4.3 does not expose the ONNX bytes through a getter, but its
 * public protobuf serialization ({@link ONNXExternalModel#serialize()}) carries them in
 * {@link ONNXExternalModelProto#getModelArray()} along with the forward feature mapping; no reflection is needed.
 */
public final class OnnxExternalModels {
    private OnnxExternalModels() {}

    /** The ONNX graph and feature mapping of a Tribuo ONNX model. */
    public record Contents(OnnxMl.ModelProto graph, int[] forwardFeatureMapping, String inputName) {}

    /** Extracts the graph and mapping. */
    public static Contents contents(ONNXExternalModel<?> model) {
        ModelProto proto = model.serialize();
        try {
            ONNXExternalModelProto p = proto.getSerializedData().unpack(ONNXExternalModelProto.class);
            OnnxMl.ModelProto graph = OnnxMl.ModelProto.parseFrom(p.getModelArray());
            int[] forward = p.getForwardFeatureMappingList().stream().mapToInt(Integer::intValue).toArray();
            return new Contents(graph, forward, p.getInputName());
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException("the Tribuo ONNX model '" + model.getName() + "' holds no readable ONNX "
                    + "graph: " + e.getMessage(), e);
        }
    }

    /**
     * Whether dense rows whose position {@code j} holds feature {@code featureNames.get(j)} can be fed to the graph
     * as they are, i.e. the model's feature mapping puts each of these features at position {@code j}.
     */
    public static boolean identityLayout(ONNXExternalModel<?> model, int[] forwardMapping, List<String> featureNames) {
        ImmutableFeatureMap fmap = model.getFeatureIDMap();
        if (fmap.size() != featureNames.size() || forwardMapping.length != featureNames.size()) {
            return false;
        }
        for (int j = 0; j < featureNames.size(); j++) {
            int id = fmap.getID(featureNames.get(j));
            if (id < 0 || forwardMapping[id] != j) {
                return false;
            }
        }
        return true;
    }

    /** A name for messages: the model name as a path. */
    static Path sourceName(ONNXExternalModel<?> model) {
        return Path.of(model.getName() == null || model.getName().isEmpty() ? "onnx-external-model"
                : model.getName().replace('/', '_'));
    }

    /** The ONNX graph if the model is a Tribuo ONNX model. */
    public static Optional<Contents> ifOnnx(org.tribuo.Model<?> model) {
        return model instanceof ONNXExternalModel<?> m ? Optional.of(contents(m)) : Optional.empty();
    }
}
