// Package gather is `gobragg gather DIR`: it checks that the shard
// manifests in DIR (package shard) cover a dataset's frames or shots
// exactly once with intact files, names what is missing or duplicated, and
// writes what belongs to the dataset as a whole rather than to one shard.
package gather
