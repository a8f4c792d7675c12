package org.widerobust.plugin.attack;

import java.util.LinkedHashMap;
import java.util.Map;

import org.widerobust.adapters.engine.DeviceSpec;
import org.widerobust.adapters.engine.Engine;

/** The three PyTorch fixtures on one CPU engine, for a test class's lifetime. */
final class FixtureSet implements AutoCloseable {
    static final String[] MODELS = {"mlp", "cnn", "miniwrn"};

    private final Engine engine = Engine.create(DeviceSpec.CPU, 2);
    private final Map<String, Fixture> fixtures = new LinkedHashMap<>();

    FixtureSet() {
        for (String m : MODELS) {
            fixtures.put(m, Fixture.load(m, engine));
        }
    }

    Fixture get(String model) {
        return fixtures.get(model);
    }

    Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        fixtures.values().forEach(Fixture::close);
        engine.close();
    }
}
