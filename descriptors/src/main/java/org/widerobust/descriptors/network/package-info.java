/**
 * Networks as ONNX graphs: the {@link org.widerobust.descriptors.network.Network} value that the engine runs and
 * differentiates, and the width-parameterised families that build them.
 */
package org.widerobust.descriptors.network;
