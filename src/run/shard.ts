/**
 * Shards: `--shard i/n` (1 ≤ i ≤ n) runs the points k (0-based, plan order) with
 * k mod n = i − 1, so n machines given 1/n … n/n run every point exactly once, and each
 * shard gets an even spread of the sweep (neighbouring points, often of similar cost, go to
 * different shards). `loopdrv merge` puts the documents back together (merge.ts).
 */

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Whether point `k` (0-based, plan order) belongs to `shard`. */
export function inShard(k: number, shard: Shard): boolean {
  return (k % shard.count) + 1 === shard.index;
}

/** The shard point `k` belongs to, out of `count`. */
export function shardOf(k: number, count: number): number {
  return (k % count) + 1;
}

export type ShardParse = { ok: true; shard: Shard } | { ok: false; message: string };

/** Parse the text of `--shard`: "i/n" with whole numbers 1 ≤ i ≤ n. */
export function parseShard(text: string): ShardParse {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return { ok: false, message: `expected i/n with whole numbers, e.g. --shard 2/8, got ${JSON.stringify(text)}` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count)) return { ok: false, message: `${JSON.stringify(text)} is too large` };
  if (count < 1) return { ok: false, message: `the shard count must be at least 1, got ${count}` };
  if (index < 1 || index > count) return { ok: false, message: `the shard index must be between 1 and ${count}, got ${index}` };
  return { ok: true, shard: { index, count } };
}
