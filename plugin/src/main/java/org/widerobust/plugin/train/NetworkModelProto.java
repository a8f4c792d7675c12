package org.widerobust.plugin.train;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;

import java.util.ArrayList;
import java.util.List;

/**
 * The protobuf message that carries a {@link NetworkModel} inside Tribuo's {@code ModelProto.serialized_data}
 * ({@code Any}). It is declared here with protobuf's descriptor API instead of a generated class, so the build
 * needs no {@code protoc}; the wire format is that of this {@code .proto} (proto3):
 * <pre>
 * package widerobust;
 * message NetworkModelProto {
 *   bytes  metadata           = 1;  // Tribuo's ModelDataProto: name, provenance, feature and output domains
 *   bytes  onnx               = 2;  // the inference-form ONNX ModelProto
 *   string network_name       = 3;
 *   string input_name         = 4;
 *   string logits_name        = 5;
 *   repeated int64  example_shape  = 6;
 *   int32  num_classes        = 7;
 *   repeated string parameter_names = 8;
 *   repeated string feature_names   = 9;   // tensor order
 *   repeated string label_names     = 10;  // logit order
 *   repeated float  input_domain    = 11;  // {lo, hi} or per-feature lows then highs; empty: none
 *   string device             = 12;  // prediction device
 *   int32  predict_batch_size = 13;
 *   string history_json       = 14;  // the training history (EpochSummary list)
 *   string trained_on         = 15;  // device that trained the model
 *   int32  training_threads   = 16;
 *   float  input_scale        = 17;  // features are multiplied by this before the network (0 read as 1)
 * }
 * </pre>
 */
final class NetworkModelProto {
    static final String TYPE_NAME = "widerobust.NetworkModelProto";
    private static final Descriptor DESCRIPTOR = build();

    private NetworkModelProto() {}

    private static Descriptor build() {
        DescriptorProto.Builder m = DescriptorProto.newBuilder().setName("NetworkModelProto");
        field(m, "metadata", 1, FieldDescriptorProto.Type.TYPE_BYTES, false);
        field(m, "onnx", 2, FieldDescriptorProto.Type.TYPE_BYTES, false);
        field(m, "network_name", 3, FieldDescriptorProto.Type.TYPE_STRING, false);
        field(m, "input_name", 4, FieldDescriptorProto.Type.TYPE_STRING, false);
        field(m, "logits_name", 5, FieldDescriptorProto.Type.TYPE_STRING, false);
        field(m, "example_shape", 6, FieldDescriptorProto.Type.TYPE_INT64, true);
        field(m, "num_classes", 7, FieldDescriptorProto.Type.TYPE_INT32, false);
        field(m, "parameter_names", 8, FieldDescriptorProto.Type.TYPE_STRING, true);
        field(m, "feature_names", 9, FieldDescriptorProto.Type.TYPE_STRING, true);
        field(m, "label_names", 10, FieldDescriptorProto.Type.TYPE_STRING, true);
        field(m, "input_domain", 11, FieldDescriptorProto.Type.TYPE_FLOAT, true);
        field(m, "device", 12, FieldDescriptorProto.Type.TYPE_STRING, false);
        field(m, "predict_batch_size", 13, FieldDescriptorProto.Type.TYPE_INT32, false);
        field(m, "history_json", 14, FieldDescriptorProto.Type.TYPE_STRING, false);
        field(m, "trained_on", 15, FieldDescriptorProto.Type.TYPE_STRING, false);
        field(m, "training_threads", 16, FieldDescriptorProto.Type.TYPE_INT32, false);
        field(m, "input_scale", 17, FieldDescriptorProto.Type.TYPE_FLOAT, false);
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("widerobust/network_model.proto")
                .setPackage("widerobust").setSyntax("proto3").addMessageType(m).build();
        try {
            return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("NetworkModelProto");
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("invalid NetworkModelProto descriptor", e);
        }
    }

    private static void field(DescriptorProto.Builder m, String name, int number, FieldDescriptorProto.Type type,
                              boolean repeated) {
        m.addField(FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED
                        : FieldDescriptorProto.Label.LABEL_OPTIONAL));
    }

    /** A message being written. */
    static final class Writer {
        private final DynamicMessage.Builder b = DynamicMessage.newBuilder(DESCRIPTOR);

        Writer set(String name, Object value) {
            b.setField(f(name), value instanceof byte[] bytes ? ByteString.copyFrom(bytes) : value);
            return this;
        }

        Writer addAll(String name, Iterable<?> values) {
            FieldDescriptor fd = f(name);
            for (Object v : values) {
                b.addRepeatedField(fd, v);
            }
            return this;
        }

        Any pack() {
            return Any.pack(b.build());
        }
    }

    /** A message being read. */
    static final class Reader {
        private final DynamicMessage m;

        Reader(Any any) throws InvalidProtocolBufferException {
            if (!any.getTypeUrl().endsWith("/" + TYPE_NAME)) {
                throw new InvalidProtocolBufferException("expected a " + TYPE_NAME + " but found "
                        + any.getTypeUrl());
            }
            this.m = DynamicMessage.parseFrom(DESCRIPTOR, any.getValue());
        }

        byte[] bytes(String name) {
            return ((ByteString) m.getField(f(name))).toByteArray();
        }

        String string(String name) {
            return (String) m.getField(f(name));
        }

        int int32(String name) {
            return (Integer) m.getField(f(name));
        }

        float float32(String name) {
            return (Float) m.getField(f(name));
        }

        <T> List<T> list(String name, Class<T> type) {
            FieldDescriptor fd = f(name);
            int n = m.getRepeatedFieldCount(fd);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(type.cast(m.getRepeatedField(fd, i)));
            }
            return out;
        }
    }

    private static FieldDescriptor f(String name) {
        FieldDescriptor fd = DESCRIPTOR.findFieldByName(name);
        if (fd == null) {
            throw new IllegalArgumentException("no field " + name + " in " + TYPE_NAME);
        }
        return fd;
    }
}
