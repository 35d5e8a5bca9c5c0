// Package shard splits a dataset of numbered items (the frames of a sweep,
// the shots of a set of stills, the shots to refine) among the tasks of a
// cluster scheduler's array job, and records what each task wrote.
//
// A task is told its share by -shard INDEX/COUNT (INDEX from 0), or by
// -shard auto/COUNT, which reads INDEX from SLURM_ARRAY_TASK_ID (a Slurm
// job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job). Items are
// dealt in contiguous blocks whose sizes differ by at most one, so a shard
// is a -frames FIRST-LAST range. Nothing about an item depends on the shard
// that renders it: seeds derive from the item's own number.
//
// Each shard keeps a manifest beside its outputs (items, seeds, file
// sizes and sha256, wall time), rewritten atomically after every item, so a
// task killed mid-run leaves a manifest of exactly the items that are
// complete; re-running it skips those whose files still match and renders
// the rest. Gather reads every manifest of a directory and checks that they
// cover the dataset exactly once.
package shard
