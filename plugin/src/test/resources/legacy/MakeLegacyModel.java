import java.nio.file.Path;

import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;
import org.widerobust.datasets.DataSpec;
import org.widerobust.plugin.train.AdversarialTrainer;

/** Trains a tiny mlp with widerobust 0.1 (commit 762011d) and saves it the 0.1 way: Java serialization. */
public class MakeLegacyModel {
    public static void main(String[] args) throws Exception {
        var data = DataSpec.load("synthetic:100", "train", -1);
        try (Engine engine = Engine.create(DeviceSpec.CPU, 1)) {
            var trainer = AdversarialTrainer.builder().network("mlp", 0.25).method("natural").epochs(1)
                    .batchSize(50).seed(7).progress(false).build();
            trainer.trainDense(data, engine, false).model().save(Path.of(args[0]));
        }
    }
}
