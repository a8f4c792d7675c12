package org.widerobust.plugin.train;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.widerobust.adapters.engine.Engine;

/** Base of the trainer tests that share one 2-thread CPU engine per test class ({@link TrainData#cpu()}). */
abstract class CpuEngineTest {
    /** The class's engine, open from its first test to its last. */
    static Engine engine;

    @BeforeAll
    static void startEngine() {
        engine = TrainData.cpu();
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }
}
