package org.widerobust.datasets;

import java.nio.file.Path;
import java.time.OffsetDateTime;

/**
 * What the provenance records about one input file.
 * @param role what the file is for in its data source, e.g. {@code images}, {@code labels}, {@code batch1}.
 * @param path absolute path.
 * @param size size in bytes.
 * @param sha256 SHA-256 of the file's bytes as stored (compressed bytes for gzip files), upper-case hex as OLCUT writes it.
 * @param modified last modification time.
 */
public record FileRecord(String role, Path path, long size, String sha256, OffsetDateTime modified) {}
