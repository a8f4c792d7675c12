/**
 * Throughput benchmarks of the engine on the network families: forward, forward + input gradient, and one PGD-10
 * adversarial-training step. Benchmarks are separate from tests and never assert on time.
 */
package org.widerobust.plugin.bench;
