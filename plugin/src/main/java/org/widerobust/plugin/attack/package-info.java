/**
 * Adversarial attacks on batches of dense inputs. White-box attacks use a {@link org.widerobust.plugin.attack.GradientTarget};
 * score-based ones need only an {@link org.widerobust.plugin.attack.AttackTarget}, so they work on any Tribuo model
 * that gives scores. Every attack is an OLCUT-configurable component with provenance.
 *
 * <p>Attacks: {@link org.widerobust.plugin.attack.Fgsm}, {@link org.widerobust.plugin.attack.Pgd},
 * {@link org.widerobust.plugin.attack.Apgd} (APGD-CE, APGD-T), {@link org.widerobust.plugin.attack.Fab} (FAB,
 * FAB-T), {@link org.widerobust.plugin.attack.SquareAttack} and the AutoAttack-style
 * {@link org.widerobust.plugin.attack.AttackCascade}, whose {@code standard} is AutoAttack's standard version; by
 * name, each with its own budget, through {@link org.widerobust.plugin.attack.Attacks}. The numeric rules of the
 * threat model (steps, projection onto the ε-ball ∩ box, random starts) live in
 * {@link org.widerobust.plugin.attack.ThreatModelMath}, FAB's projection onto a hyperplane inside the box in
 * {@link org.widerobust.plugin.attack.BoundaryProjection}.
 */
package org.widerobust.plugin.attack;
