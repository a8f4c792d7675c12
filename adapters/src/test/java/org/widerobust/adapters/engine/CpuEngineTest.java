package org.widerobust.adapters.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that share one 2-thread CPU engine per test class (every module's tests: the adapters' test jar
 * carries it to the plugin's).
 */
public abstract class CpuEngineTest {
    /** The class's engine, open from its first test to its last. */
    protected static Engine engine;

    @BeforeAll
    static void startEngine() {
        engine = Engine.create(DeviceSpec.CPU, 2);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }
}
