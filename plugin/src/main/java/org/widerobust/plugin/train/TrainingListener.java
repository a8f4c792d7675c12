package org.widerobust.plugin.train;

import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Hears about a training run as it happens, so that a front end can report each event when it occurs. Every
 * method has a default; {@link #LOGGING} sends resumes, validations and warnings to {@code java.util.logging}.
 */
public interface TrainingListener {
    /** Logs resumes and validations (info) and warnings; ignores epochs. */
    TrainingListener LOGGING = new TrainingListener() {
        private final Logger log = Logger.getLogger(TrainingListener.class.getName());

        @Override
        public void resumed(Path checkpoint, Checkpoint.Position from) {
            log.info(resumeMessage(checkpoint, from));
        }

        @Override
        public void validationStarted(int epoch, int examples, String attack) {
            log.info(validationMessage(epoch, examples, attack));
        }

        @Override
        public void warning(String message) {
            log.warning(message);
        }
    };

    /** The run continues from {@code checkpoint}, at {@code from}. */
    default void resumed(Path checkpoint, Checkpoint.Position from) {}

    /** An epoch ended (its checkpoint, if any, is written). */
    default void epochFinished(EpochSummary epoch) {}

    /**
     * The end-of-epoch validation starts: {@code attack} on {@code examples} held-out examples. It is not part of
     * the training progress (its examples/s and ETA), and on wide networks it can take as long as the epoch.
     */
    default void validationStarted(int epoch, int examples, String attack) {}

    /** "epoch E: validating on N held-out examples (natural accuracy, ATTACK robust accuracy)…". */
    static String validationMessage(int epoch, int examples, String attack) {
        return "epoch " + epoch + ": validating on " + examples + " held-out examples (natural accuracy and " + attack
                + " robust accuracy)...";
    }

    /** Something the user should know, e.g. a loss that explodes without becoming NaN. */
    default void warning(String message) {}

    /** "resumed from F at epoch E, batch B (N epochs done)", epochs and batches counted from 1. */
    static String resumeMessage(Path checkpoint, Checkpoint.Position from) {
        return "resumed from " + checkpoint + " at epoch " + (from.epoch() + 1) + ", batch " + (from.batch() + 1)
                + " (" + from.history().size() + (from.history().size() == 1 ? " epoch" : " epochs") + " done, "
                + from.legs().size() + (from.legs().size() == 1 ? " earlier leg)" : " earlier legs)");
    }
}
