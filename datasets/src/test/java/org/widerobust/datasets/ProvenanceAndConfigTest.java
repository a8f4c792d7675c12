package org.widerobust.datasets;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.provenance.DatasetProvenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ProvenanceAndConfigTest {
    @TempDir
    Path dir;

    private static void roundTrip(DataSourceProvenance p) {
        List<ObjectMarshalledProvenance> m = ProvenanceUtil.marshalProvenance(p);
        ObjectProvenance back = ProvenanceUtil.unmarshalProvenance(m);
        assertEquals(p, back);
        assertTrue(back instanceof ImageDataSourceProvenance);
    }

    @Test
    void idxProvenanceRecordsFilesAndRoundTrips() throws IOException {
        TestFiles.idxPair(dir, "train", 5, true);
        IdxImageDataSource s = new IdxImageDataSource(dir, Split.TRAIN, 3, PixelScaling.RAW, 0);
        ImageDataSourceProvenance p = (ImageDataSourceProvenance) s.getProvenance();
        Map<String, PrimitiveProvenance<?>> iv = p.getInstanceValues();
        Path im = dir.resolve("train-images-idx3-ubyte.gz").toAbsolutePath();
        assertEquals(im.toString(), iv.get("file.images.path").getValue());
        assertEquals(Files.size(im), iv.get("file.images.size").getValue());
        assertEquals(ProvenanceUtil.hashResource(ProvenanceUtil.HashType.SHA256, im), iv.get("file.images.sha256").getValue());
        assertNotNull(iv.get("file.labels.modified-time"));
        assertEquals(3, iv.get("num-examples").getValue());
        assertEquals("[1, 4, 5]", iv.get("example-shape").getValue());
        Map<String, ?> conf = p.getConfiguredParameters();
        assertEquals("TRAIN", conf.get("split").toString().replaceAll(".*=", ""));
        assertTrue(conf.get("limit").toString().contains("3"), conf.toString());
        assertTrue(conf.get("scaling").toString().contains("RAW"), conf.toString());
        roundTrip(p);

        // Tribuo dataset built from the source keeps the provenance
        MutableDataset<Label> ds = new MutableDataset<>(s);
        assertEquals(3, ds.size());
        assertEquals(20, ds.getFeatureMap().size());
        DatasetProvenance dp = ds.getProvenance();
        assertEquals(dp, ProvenanceUtil.unmarshalProvenance(ProvenanceUtil.marshalProvenance(dp)));
    }

    @Test
    void cifarAndSyntheticRoundTrip() throws IOException {
        Files.write(dir.resolve("test.bin"), TestFiles.cifar(0, 2, 3, 40));
        roundTrip(new CifarDataSource(dir, CifarDataSource.Variant.CIFAR100, CifarDataSource.LabelType.COARSE, Split.TEST, -1, PixelScaling.UNIT).getProvenance());
        roundTrip(new SyntheticImageDataSource(10, Split.TEST, 7).getProvenance());
    }

    @Test
    void configuredFromOlcutXml() throws IOException {
        TestFiles.idxPair(dir, "t10k", 6, false);
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <component name=\"mnist-test\" type=\"org.widerobust.datasets.IdxImageDataSource\">\n"
                + "    <property name=\"directory\" value=\"" + dir + "\"/>\n"
                + "    <property name=\"split\" value=\"TEST\"/>\n"
                + "    <property name=\"limit\" value=\"4\"/>\n"
                + "    <property name=\"numClasses\" value=\"10\"/>\n"
                + "  </component>\n"
                + "  <component name=\"synth\" type=\"org.widerobust.datasets.SyntheticImageDataSource\">\n"
                + "    <property name=\"size\" value=\"12\"/>\n"
                + "    <property name=\"channels\" value=\"3\"/>\n"
                + "    <property name=\"height\" value=\"8\"/>\n"
                + "    <property name=\"width\" value=\"8\"/>\n"
                + "    <property name=\"seed\" value=\"5\"/>\n"
                + "  </component>\n"
                + "</config>\n";
        Path f = dir.resolve("data.xml");
        Files.writeString(f, xml);
        ConfigurationManager cm = new ConfigurationManager(f.toString());
        IdxImageDataSource s = (IdxImageDataSource) cm.lookup("mnist-test");
        assertEquals(4, s.size());
        assertEquals(Split.TEST, s.split());
        assertEquals(10, s.dense().numClasses());
        assertEquals(TestFiles.pixel(3, 7) / 255f, s.dense().get(3, 7));
        SyntheticImageDataSource syn = (SyntheticImageDataSource) cm.lookup("synth");
        assertArrayEquals(new long[]{3, 8, 8}, syn.dense().exampleShape());
        assertEquals(12, syn.size());
        roundTrip(s.getProvenance());
        cm.close();
    }

    @Test
    void badFileInXmlConfigurationFailsAtLookup() throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <component name=\"bad\" type=\"org.widerobust.datasets.CifarDataSource\">\n"
                + "    <property name=\"directory\" value=\"" + dir.resolve("missing") + "\"/>\n"
                + "  </component>\n</config>\n";
        Path f = dir.resolve("bad.xml");
        Files.writeString(f, xml);
        ConfigurationManager cm = new ConfigurationManager(f.toString());
        RuntimeException e = assertThrows(RuntimeException.class, () -> cm.lookup("bad"));
        Throwable t = e;
        while (t != null && !(t instanceof DataFormatException)) t = t.getCause();
        assertNotNull(t, "no DataFormatException in the cause chain of " + e);
        assertEquals(dir.resolve("missing"), ((DataFormatException) t).file());
        cm.close();
    }
}
