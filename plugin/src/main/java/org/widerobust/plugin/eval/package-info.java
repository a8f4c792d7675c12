/**
 * Robustness evaluation in Tribuo's terms: {@link org.widerobust.plugin.eval.RobustnessEvaluator} (a Tribuo
 * {@code Evaluator}) runs a cascade of attacks over dense data and produces a
 * {@link org.widerobust.plugin.eval.RobustnessEvaluation} with natural and robust accuracy, perturbation stability,
 * an optional local Lipschitz estimate, sanity warnings and provenance that round-trips through OLCUT marshalling.
 * Every attack runs against each point's clean prediction: a point misclassified on its clean input is robust
 * under no attack, and every saved example witnesses the reported figure. Numeric kernels live in
 * {@link org.widerobust.plugin.eval.RobustnessMetrics}.
 */
package org.widerobust.plugin.eval;
