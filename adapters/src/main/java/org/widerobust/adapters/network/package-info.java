/**
 * Networks on the engine: {@link org.widerobust.adapters.network.NetworkSession} runs a network's forward graph and
 * its per-loss input-gradient graphs (for attacks), {@link org.widerobust.adapters.network.ParameterStore} holds
 * weights in direct buffers that graphs read zero-copy, and
 * {@link org.widerobust.adapters.network.ParameterGradients} computes loss gradients for training.
 */
package org.widerobust.adapters.network;
