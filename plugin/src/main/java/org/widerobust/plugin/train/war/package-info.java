/**
 * λ rules for the λ-form training objectives {@code R_nat + λ·R_rob}: {@code fixed}, {@code ratio} (Width Adjusted
 * Regularization, Wu et al., NeurIPS 2021: λ enlarged until the wide network keeps the reference run's balance
 * {@code R_rob / R_nat}) and {@code power} (λ₀·(k/k₀)^p). Each rule is an OLCUT-configurable {@link
 * org.widerobust.plugin.train.war.LambdaRule}; its per-run state is a {@link
 * org.widerobust.plugin.train.war.LambdaController}, a small numeric kernel that the training loop feeds with each
 * batch's risks and checkpoints. See {@code docs/war.md}.
 */
package org.widerobust.plugin.train.war;
