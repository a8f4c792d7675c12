/**
 * Losses as graph pieces: each appends its forward value and its gradient with respect to the logits to a graph,
 * with an explicit batch reduction. Attacks maximise them; training minimises them.
 */
package org.widerobust.descriptors.loss;
