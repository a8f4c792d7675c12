package org.widerobust.descriptors.autodiff;

/**
 * What ONNX Runtime's blocked (NCHWc) CPU convolutions need; several backward rules are built to stay in that layout
 * when the weights are constant.
 */
final class BlockedLayout {
    /** Channel block on AVX2 machines: a convolution's channels are padded up to a multiple of it. */
    static final long BLOCK = 8;
    /** Channel counts made of whole blocks on every machine (AVX-512's block is 16). */
    static final long WHOLE_BLOCKS = 16;

    private BlockedLayout() {}
}
