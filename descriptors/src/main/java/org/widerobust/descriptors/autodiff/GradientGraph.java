package org.widerobust.descriptors.autodiff;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.util.List;
import java.util.Map;

/**
 * A differentiated graph and the names of its outputs.
 *
 * @param model              the ONNX graph
 * @param input              the network input name
 * @param logits             the logits output name
 * @param loss               the scalar loss output
 * @param lossPerExample     the per-example loss output {@code [N]}
 * @param inputGradient      the input-gradient output, or null if not requested
 * @param parameterGradients parameter name to gradient output name, in request order
 * @param parameterInputs    parameters that are graph inputs (empty if they stay initializers)
 * @param lossInputs         extra inputs of the loss head (labels, targets, λ)
 */
public record GradientGraph(ModelProto model, String input, String logits, String loss, String lossPerExample,
                            String inputGradient, Map<String, String> parameterGradients,
                            List<String> parameterInputs, List<String> lossInputs) {}
