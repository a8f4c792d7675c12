package org.widerobust.plugin.attack;

import java.util.List;

/**
 * The outcome of an {@link AttackCascade}.
 *
 * @param result      the worst case per example over all attacks
 * @param attackNames the attacks, in the order they ran
 * @param brokenBy    per example, the index in {@code attackNames} of the attack that first misclassified it,
 *                    {@link #CLEAN} if it was misclassified without attack, {@link #NONE} if it stayed robust
 * @param robustAfter robust examples after each attack (cumulative: non-increasing)
 * @param cleanCorrect examples classified correctly without attack
 */
public record CascadeResult(AttackResult result, List<String> attackNames, int[] brokenBy, int[] robustAfter,
                            int cleanCorrect) {
    /** Marks an example no attack broke. */
    public static final int NONE = -1;
    /** Marks an example misclassified before any attack. */
    public static final int CLEAN = -2;

    /** Examples the attack at {@code index} broke (that earlier attacks had not). */
    public int brokenCount(int index) {
        int c = 0;
        for (int b : brokenBy) {
            c += b == index ? 1 : 0;
        }
        return c;
    }

    /** Robust examples after the whole cascade. */
    public int robustCount() {
        return robustAfter.length == 0 ? cleanCorrect : robustAfter[robustAfter.length - 1];
    }
}
