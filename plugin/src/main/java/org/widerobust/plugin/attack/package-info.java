/**
 * Adversarial attacks on batches of dense inputs. White-box attacks use a {@link org.widerobust.plugin.attack.GradientTarget};
 * score-based ones need only an {@link org.widerobust.plugin.attack.AttackTarget}, so they work on any Tribuo model
 * that gives scores. Every attack is an OLCUT-configurable component with provenance.
 */
package org.widerobust.plugin.attack;
