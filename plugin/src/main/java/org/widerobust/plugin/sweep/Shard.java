package org.widerobust.plugin.sweep;

/**
 * A share {@code index} of {@code count} of a sweep's points, as written on the command line: {@code --shard I/N}
 * with 1 ≤ I ≤ N (a Slurm array {@code --array=1-N} passes {@code $SLURM_ARRAY_TASK_ID} directly; a Kubernetes
 * Indexed Job passes {@code $((JOB_COMPLETION_INDEX + 1))}).
 *
 * @param index 1-based shard number
 * @param count number of shards
 */
public record Shard(int index, int count) {
    /** The whole sweep. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("--shard must be I/N with 1 <= I <= N, got " + index + "/" + count);
        }
    }

    /**
     * Parses {@code I/N}.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--shard must be I/N (e.g. 1/4), got '" + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard must be I/N with whole numbers (e.g. 1/4), got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
