package org.widerobust.descriptors.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

import java.util.List;

import org.junit.jupiter.api.Test;

class FamiliesTest {

    @Test
    void createsEachFamily() {
        assertEquals("smallcnn(k=2)", Families.create("smallcnn", 2.0).describe());
        assertEquals("smallcnn(k=0.5)", Families.create("SmallCNN", 0.5).describe());
        assertEquals("mlp(k=1)", Families.create("mlp", 1).describe());
        assertEquals("wrn-16-4", Families.create("wrn-16-4", 4).describe());
        assertEquals("wrn-34-10", Families.create("wrn-34", 10).describe());
        assertEquals("wrn-34-2", Families.create("wrn", 2).describe());
        WideResNetDescriptor wrn = assertInstanceOf(WideResNetDescriptor.class, Families.create("wrn-28", 1.5));
        assertEquals(28, wrn.depth());
        assertEquals(4, wrn.blocksPerGroup());
        assertEquals(1.5, wrn.width());
        assertEquals("wrn", wrn.family());
    }

    @Test
    void describeRoundTrips() {
        for (NetworkDescriptor d : List.of(new SmallCnnDescriptor(0.25), new MlpDescriptor(3),
                new WideResNetDescriptor(40, 2), new WideResNetDescriptor(16, 0.5))) {
            assertEquals(d.describe(), Families.create(d.describe()).describe());
        }
        assertEquals("wrn-34-10", Families.create("wrn").describe());
        assertEquals("smallcnn(k=1)", Families.create("smallcnn").describe());
    }

    @Test
    void badNamesAndWidthsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Families.create("resnet", 1));
        assertTrue(e.getMessage().contains("mlp") && e.getMessage().contains("smallcnn")
                && e.getMessage().contains("wrn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Families.create("wrn-15", 1));
        assertTrue(e.getMessage().contains("6n + 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Families.create("smallcnn", 0));
        assertTrue(e.getMessage().contains("width"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Families.create("wrn-16-4", 2));
        assertThrows(IllegalArgumentException.class, () -> Families.create("mlp", Double.NaN));
        assertThrows(PropertyException.class, () -> new WideResNetDescriptor(4, 1));
        assertThrows(PropertyException.class, () -> new MlpDescriptor(1, 64, 0));
        assertThrows(PropertyException.class, () -> new SmallCnnDescriptor(-2));
    }
}
