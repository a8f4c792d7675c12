/**
 * Execution of ONNX graphs with ONNX Runtime.
 *
 * <p>{@link org.widerobust.adapters.engine.Engine} owns the process-wide {@code OrtEnvironment} (one global
 * intra-op thread pool shared by every session, so that sessions do not fight over the cores), chooses the
 * execution provider from a {@link org.widerobust.adapters.engine.DeviceSpec} ({@code auto}, {@code cpu},
 * {@code cuda}, {@code cuda:N}) and compiles graphs into
 * {@link org.widerobust.adapters.engine.CompiledGraph}s. A compiled graph keeps direct, native-order buffers
 * for its inputs and outputs and reuses them run after run: inputs are zero-copy, and outputs whose shape is
 * known before the run are written by ONNX Runtime straight into our buffers (pinned outputs).
 */
package org.widerobust.adapters.engine;
