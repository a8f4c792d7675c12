package org.widerobust.plugin.train;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;

import java.util.Map;

import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.widerobust.adapters.data.DenseDataset;

/** The Tribuo dataset provenance of a {@link DenseDataset}: its source provenance and its size. */
public final class DenseDatasetProvenance extends DatasetProvenance {
    private static final long serialVersionUID = 1L;

    /** The provenance of {@code data} (a simple source provenance from its description if it has none). */
    public DenseDatasetProvenance(DenseDataset data) {
        super(source(data), new ListProvenance<>(), DenseDataset.class.getName(), true, false, data.size(),
                data.exampleLength(), data.numClasses());
    }

    /** For OLCUT's provenance unmarshalling. */
    public DenseDatasetProvenance(Map<String, Provenance> map) {
        super(map);
    }

    private static DataProvenance source(DenseDataset data) {
        if (data.provenance() != null) {
            return data.provenance();
        }
        String d = data.description().isEmpty() ? "DenseDataset" : data.description();
        return new SimpleDataSourceProvenance(d, new LabelFactory());
    }
}
