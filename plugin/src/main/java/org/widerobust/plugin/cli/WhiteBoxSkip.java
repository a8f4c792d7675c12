package org.widerobust.plugin.cli;

import java.util.ArrayList;
import java.util.List;

import org.widerobust.descriptors.autodiff.Blocker;
import org.widerobust.descriptors.autodiff.GradientBlockedException;
import org.widerobust.plugin.attack.Attack;
import org.widerobust.plugin.attack.AttackCascade;

/**
 * Which attacks run on a model without gradients: for an ONNX graph whose gradient cannot be built, the white-box
 * attacks are skipped with the list of blockers (natural accuracy and the black-box attacks, AutoAttack's Square
 * among them, still run); for any other black box (a Tribuo model without an ONNX graph), an ensemble such as
 * {@code autoattack} runs its score-based members with the same warning, and asking for a white-box attack alone is
 * an error.
 */
final class WhiteBoxSkip {
    private WhiteBoxSkip() {}

    /**
     * The attacks to run.
     *
     * @param warnings receives the note on skipped attacks
     * @throws CliException if a white-box attack is asked of a model that has no gradients by nature, or if every
     *                      attack asked for would be skipped
     */
    static List<Attack> apply(List<Attack> attacks, boolean whiteBox, List<Blocker> blockers, String model,
                              List<String> warnings) {
        if (whiteBox) {
            return attacks;
        }
        List<Attack> run = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Attack a : attacks) {
            if (!a.needsGradients()) {
                run.add(a);
            } else if (a instanceof AttackCascade c && c.attacks().stream().anyMatch(m -> !m.needsGradients())) {
                // AutoAttack without gradients (a blocked graph, or a model with none): its black-box members run.
                List<Attack> blackBox = c.attacks().stream().filter(m -> !m.needsGradients()).toList();
                run.add(blackBox.size() == 1 ? blackBox.get(0) : new AttackCascade(blackBox));
                skipped.add(c.attacks().stream().filter(Attack::needsGradients).map(Attack::name)
                        .collect(java.util.stream.Collectors.joining(", ")) + " (of " + c.name() + ")");
            } else if (blockers.isEmpty()) {
                throw new CliException("attack " + a.name() + " needs gradients but " + model
                        + " can only be attacked as a black box; use a score-based attack such as square");
            } else {
                skipped.add(a.name());
            }
        }
        String why = blockers.isEmpty() ? model + " is a black box (only its scores can be read)"
                : GradientBlockedException.message(model, blockers);
        if (run.isEmpty()) {
            throw new CliException("every attack asked for (" + String.join(", ", skipped) + ") needs gradients, and "
                    + why + "; use a score-based attack such as square");
        }
        if (!skipped.isEmpty()) {
            String note = "skipped white-box " + String.join(", ", skipped) + ": " + why + "; robust accuracy is then "
                    + "an upper bound from score-based attacks alone";
            warnings.add(note);
            System.err.println("widerobust: " + note);
        }
        return run;
    }
}
