package org.widerobust.plugin.model;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads Java-serialized models behind an allow-list filter, so that a crafted file cannot instantiate arbitrary
 * classes: only Tribuo, OLCUT, widerobust, the JDK, ONNX/protobuf and the libraries Tribuo's own models are built
 * on. The system property {@value #FILTER_PROPERTY} replaces the pattern (JDK serial-filter syntax) for models
 * that need more.
 */
public final class SerializedModels {
    /** System property with a replacement filter pattern. */
    public static final String FILTER_PROPERTY = "widerobust.serialFilter";

    /** The default allow-list. */
    public static final String DEFAULT_FILTER = "maxdepth=200;maxrefs=10000000;maxarray=2000000000;"
            + "org.tribuo.**;com.oracle.labs.mlrg.olcut.**;org.widerobust.**;java.**;ai.onnx.**;"
            + "com.google.protobuf.**;ml.dmlc.**;libsvm.**;de.bwaldvogel.**;org.apache.commons.math3.**;!*";

    private SerializedModels() {}

    /** Reads the single object in {@code file}. */
    public static Object read(Path file) throws IOException, ClassNotFoundException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             ObjectInputStream oin = new ObjectInputStream(in)) {
            oin.setObjectInputFilter(ObjectInputFilter.Config.createFilter(
                    System.getProperty(FILTER_PROPERTY, DEFAULT_FILTER)));
            return oin.readObject();
        }
    }

    /** Whether the file starts with the Java serialization stream magic {@code 0xACED}. */
    public static boolean isJavaSerialized(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0xAC && in.read() == 0xED;
        } catch (IOException e) {
            return false;
        }
    }

    /** The one-line error for a Java-serialized widerobust model (file may be null). */
    public static String javaSerializedMessage(Path file) {
        return (file == null ? "this file" : file.toString()) + " is a Java-serialized widerobust model (written by "
                + "widerobust 0.1); widerobust models now use Tribuo's protobuf format (Model.serializeToFile / "
                + "Model.deserializeFromFile): retrain the model, or export it to ONNX with widerobust 0.1";
    }

    /** The innermost message of an exception chain, for one-line errors. */
    public static String cause(Throwable e) {
        Throwable t = e;
        String msg = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
        }
        return msg == null ? e.toString() : msg;
    }
}
