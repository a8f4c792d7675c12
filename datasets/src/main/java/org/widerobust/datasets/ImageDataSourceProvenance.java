package org.widerobust.datasets;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.provenance.DataSourceProvenance;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Provenance of the widerobust image data sources.
 * <p>
 * Configured parameters are the source's {@code @Config} fields (directory or files, split, limit, scaling, ...),
 * recorded by OLCUT. Instance values are:
 * <ul>
 *     <li>{@code datasource-creation-time};</li>
 *     <li>{@code num-examples} (after any limit), {@code num-classes} and {@code example-shape} (e.g. {@code [1, 28, 28]});</li>
 *     <li>for each input file with role {@code R}: {@code file.R.path}, {@code file.R.size} (bytes),
 *     {@code file.R.sha256} and {@code file.R.modified-time}.</li>
 * </ul>
 * Round-trips through {@link ProvenanceUtil#marshalProvenance} / {@link ProvenanceUtil#unmarshalProvenance}.
 */
public final class ImageDataSourceProvenance extends SkeletalConfiguredObjectProvenance implements DataSourceProvenance {
    private static final long serialVersionUID = 1L;

    /** Key of the number of examples loaded. */
    public static final String NUM_EXAMPLES = "num-examples";
    /** Key of the number of classes. */
    public static final String NUM_CLASSES = "num-classes";
    /** Key of the example shape. */
    public static final String EXAMPLE_SHAPE = "example-shape";
    /** Prefix of the per-file keys. */
    public static final String FILE_PREFIX = "file.";

    private static final Set<String> FIXED_INSTANCE_KEYS = Set.of(DATASOURCE_CREATION_TIME, NUM_EXAMPLES, NUM_CLASSES, EXAMPLE_SHAPE);

    private final Map<String, PrimitiveProvenance<?>> instanceValues;

    ImageDataSourceProvenance(AbstractImageDataSource host, List<FileRecord> files, int numExamples, int numClasses, String exampleShape) {
        super(host, "DataSource");
        Map<String, PrimitiveProvenance<?>> m = new TreeMap<>();
        put(m, new DateTimeProvenance(DATASOURCE_CREATION_TIME, OffsetDateTime.now()));
        put(m, new IntProvenance(NUM_EXAMPLES, numExamples));
        put(m, new IntProvenance(NUM_CLASSES, numClasses));
        put(m, new StringProvenance(EXAMPLE_SHAPE, exampleShape));
        for (FileRecord f : files) {
            String p = FILE_PREFIX + f.role() + ".";
            put(m, new StringProvenance(p + "path", f.path().toString()));
            put(m, new LongProvenance(p + "size", f.size()));
            put(m, new HashProvenance(ProvenanceUtil.HashType.SHA256, p + "sha256", f.sha256()));
            put(m, new DateTimeProvenance(p + "modified-time", f.modified()));
        }
        this.instanceValues = m;
    }

    /**
     * Unmarshalling constructor, used by OLCUT.
     * @param map the provenance map.
     */
    public ImageDataSourceProvenance(Map<String, Provenance> map) {
        this(extract(map));
    }

    private ImageDataSourceProvenance(ExtractedInfo info) {
        super(info);
        this.instanceValues = new TreeMap<>(info.instanceValues);
    }

    private static void put(Map<String, PrimitiveProvenance<?>> m, PrimitiveProvenance<?> p) {
        m.put(p.getKey(), p);
    }

    private static ExtractedInfo extract(Map<String, Provenance> map) {
        Map<String, Provenance> configured = new HashMap<>(map);
        String who = ImageDataSourceProvenance.class.getSimpleName();
        String className = ObjectProvenance.checkAndExtractProvenance(configured, CLASS_NAME, StringProvenance.class, who).getValue();
        String hostShortName = ObjectProvenance.checkAndExtractProvenance(configured, HOST_SHORT_NAME, StringProvenance.class, who).getValue();
        Map<String, PrimitiveProvenance<?>> instance = new HashMap<>();
        for (String key : new ArrayList<>(configured.keySet())) {
            if (FIXED_INSTANCE_KEYS.contains(key) || key.startsWith(FILE_PREFIX)) {
                Provenance p = configured.remove(key);
                if (!(p instanceof PrimitiveProvenance)) {
                    throw new com.oracle.labs.mlrg.olcut.provenance.ProvenanceException("Instance value " + key + " is not primitive: " + p);
                }
                instance.put(key, (PrimitiveProvenance<?>) p);
            }
        }
        return new ExtractedInfo(className, hostShortName, configured, instance);
    }

    @Override
    public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
        Map<String, PrimitiveProvenance<?>> m = super.getInstanceValues();
        m.putAll(instanceValues);
        return m;
    }

    /**
     * The SHA-256 recorded for a file role.
     * @param role e.g. {@code images}.
     * @return the hex digest, or null if there is no such file.
     */
    public String sha256(String role) {
        PrimitiveProvenance<?> p = instanceValues.get(FILE_PREFIX + role + ".sha256");
        return p == null ? null : (String) p.getValue();
    }

    /** @return the number of examples recorded. */
    public int numExamples() {
        return (Integer) instanceValues.get(NUM_EXAMPLES).getValue();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ImageDataSourceProvenance)) return false;
        ImageDataSourceProvenance that = (ImageDataSourceProvenance) o;
        return super.equals(o) && instanceValues.equals(that.instanceValues);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + instanceValues.hashCode();
    }
}
