package org.widerobust.adapters.data;

import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ExampleTensorMapperTest {
    private static MutableDataset<Label> sparse() {
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("test", new LabelFactory()), new LabelFactory());
        ds.add(new ArrayExample<>(new Label("cat"), new String[]{"b", "x"}, new double[]{2, 9}));
        ds.add(new ArrayExample<>(new Label("dog"), new String[]{"a", "c"}, new double[]{1, 3}));
        return ds;
    }

    @Test
    void missingIsZeroUnknownIgnored() {
        ExampleTensorMapper m = new ExampleTensorMapper(List.of("c", "b", "a"), null, List.of("dog", "cat"), ExampleTensorMapper.UnknownFeatures.IGNORE);
        ExampleTensorMapper.Result r = m.convert(sparse(), 2, null, "t");
        DenseDataset d = r.dataset();
        assertArrayEquals(new float[]{0, 2, 0, 3, 0, 1}, d.data());
        assertArrayEquals(new int[]{1, 0}, d.labels());
        assertArrayEquals(new long[]{3}, d.exampleShape());
        assertEquals(java.util.Set.of("x"), r.unknownFeatureNames());
        assertEquals(1, r.unknownFeatureCount());
    }

    @Test
    void unknownFeatureFails() {
        ExampleTensorMapper m = new ExampleTensorMapper(List.of("a", "b", "c"), null, List.of("cat", "dog"), ExampleTensorMapper.UnknownFeatures.FAIL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.toDense(sparse()));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void unknownLabelFails() {
        ExampleTensorMapper m = new ExampleTensorMapper(List.of("a", "b", "c", "x"), null, List.of("cat"), ExampleTensorMapper.UnknownFeatures.FAIL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.toDense(sparse()));
        assertTrue(e.getMessage().contains("dog"), e.getMessage());
    }

    @Test
    void forDatasetUsesTribuoIds() {
        MutableDataset<Label> ds = sparse();
        ExampleTensorMapper m = ExampleTensorMapper.forDataset(ds);
        assertEquals(List.of("a", "b", "c", "x"), m.featureNames());
        DenseDataset d = m.toDense(ds);
        int cat = d.labelIndex("cat");
        assertEquals(ds.getOutputIDInfo().getID(new Label("cat")), cat);
        // and back: dense examples keep zeros, so re-mapping is exact
        List<Example<Label>> back = m.toExamples(d);
        assertEquals(4, back.get(0).size());
        assertArrayEquals(m.toArray(back.get(1)), new float[]{1, 0, 3, 0});
    }

    @Test
    void pixelNamesGiveImageShape() {
        List<String> names = List.of(PixelFeatureNames.of(1, 2, 2));
        ExampleTensorMapper m = new ExampleTensorMapper(names, null, List.of("0"), ExampleTensorMapper.UnknownFeatures.FAIL);
        assertArrayEquals(new long[]{1, 2, 2}, m.exampleShape());
        assertThrows(IllegalArgumentException.class, () -> new ExampleTensorMapper(names, new long[]{3}, List.of("0"), ExampleTensorMapper.UnknownFeatures.FAIL));
    }
}
