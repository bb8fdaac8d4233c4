/**
 * Which partitions of a scaled-out projection a worker takes: partition `p` goes to the worker at
 * index `p mod W` of the live workers sorted by id. Every worker computes the same answer from the
 * same list, each partition has exactly one owner, and shares differ by at most one.
 *
 * @module
 */

/** The partitions (of `partitions`) that `worker` should hold among `workers` (any order); none when it is not listed. */
export function assignedPartitions(partitions: number, workers: readonly string[], worker: string): readonly number[] {
  const sorted = [...new Set(workers)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = sorted.indexOf(worker);
  if (index === -1) return [];
  const mine: number[] = [];
  for (let partition = index; partition < partitions; partition += sorted.length) mine.push(partition);
  return mine;
}
