/**
 * Models as attack targets: {@link org.widerobust.plugin.model.ModelLoader} loads ONNX files (white-box) and Tribuo
 * models (white-box for {@code ONNXExternalModel}, black-box through
 * {@link org.widerobust.plugin.model.TribuoModelTarget} otherwise); {@link org.widerobust.plugin.model.TargetModel}
 * gives non-Tribuo targets a Tribuo {@code Model} face for evaluators and provenance.
 */
package org.widerobust.plugin.model;
