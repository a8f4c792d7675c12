package org.widerobust.adapters.imports;

import java.util.List;

import org.widerobust.descriptors.network.Network;

/**
 * An imported classifier and what the importer found doubtful about it.
 *
 * @param network  the classifier
 * @param warnings human-readable doubts, e.g. an output that already looks like probabilities (empty if none)
 */
public record ImportedModel(Network network, List<String> warnings) {
    public ImportedModel {
        warnings = List.copyOf(warnings);
    }
}
