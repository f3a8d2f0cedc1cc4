import { closest, distance } from "fastest-levenshtein";

/**
 * Nearest candidate within a small edit distance, comparing case-insensitively ("did you
 * mean"). Two letters swapped count as one slip: `=>` suggests `>=`, not `>`.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const w = word.toLowerCase();
  const lower = candidates.map((c) => c.toLowerCase());
  const swapped = lower.findIndex((c) => isOneSwap(w, c));
  if (swapped >= 0) return candidates[swapped];
  const best = closest(w, lower);
  const d = distance(w, best);
  if (d > Math.max(2, Math.floor(word.length / 3))) return undefined;
  return candidates[lower.indexOf(best)];
}

/**
 * `suggest`, or else the one name that shares the word's first part (up to `_` or `.`):
 * for long compound names, where a different spelling of the rest is too far to be a typo
 * (`throughput_bps` → `throughput_bits_per_s`). The shortest such name, if they all extend it.
 */
export function suggestName(word: string, candidates: readonly string[]): string | undefined {
  const near = suggest(word, candidates);
  if (near !== undefined) return near;
  const head = word.toLowerCase().split(/[_.]/)[0]!;
  if (head.length < 3) return undefined;
  const same = candidates.filter((c) => c.toLowerCase().split(/[_.]/)[0] === head).sort((a, b) => a.length - b.length);
  return same.length > 0 && same.every((c) => c.startsWith(same[0]!)) ? same[0] : undefined;
}

/** `a` and `b` differ only by two adjacent characters swapped. */
function isOneSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
