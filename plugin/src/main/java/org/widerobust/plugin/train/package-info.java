/**
 * Adversarial training as a Tribuo {@link org.tribuo.Trainer}: {@link org.widerobust.plugin.train.AdversarialTrainer}
 * trains a width-parameterised network (natural, Madry PGD or TRADES) on the engine with in-house reverse-mode
 * gradients and returns a {@link org.widerobust.plugin.train.NetworkModel}, a Tribuo model backed by ONNX Runtime.
 * <p>
 * Numeric kernels ({@link org.widerobust.plugin.train.LearningRateSchedule},
 * {@link org.widerobust.plugin.train.RunningStatistics}, {@link org.widerobust.adapters.network.SgdMomentum},
 * {@link org.widerobust.plugin.train.TradesPerturbation}) are kept apart from the orchestration
 * ({@link org.widerobust.plugin.train.TrainingLoop}, checkpoints, progress).
 */
package org.widerobust.plugin.train;
