/**
 * Width × λ studies: the plan of a sweep (every (width, λ) point plus one WAR run per width), its deterministic
 * shards, the runner that trains and evaluates each point through the {@code train} and {@code evaluate} commands,
 * and the results table ({@code results.csv}, {@code results.json}).
 * <p>
 * The planning ({@link org.widerobust.plugin.sweep.SweepPlan}, {@link org.widerobust.plugin.sweep.Shard}) is pure;
 * the command lines of a point have one home ({@link org.widerobust.plugin.sweep.PointCommands}); reading what a
 * point produced ({@code train.json}, the per-batch JSON-lines history, {@code eval.json}) has one home
 * ({@link org.widerobust.plugin.sweep.PointResults}); orchestration is {@link org.widerobust.plugin.sweep.SweepRunner}.
 */
package org.widerobust.plugin.sweep;
