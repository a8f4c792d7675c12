/** widerobust's Tribuo-facing components; {@link org.widerobust.plugin.WiderobustVersion} holds the version. */
package org.widerobust.plugin;
