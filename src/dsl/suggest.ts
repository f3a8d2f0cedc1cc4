import { closest, distance } from "fastest-levenshtein";

/** Nearest candidate within a small edit distance, comparing case-insensitively ("did you mean"). */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lower = candidates.map((c) => c.toLowerCase());
  const best = closest(word.toLowerCase(), lower);
  const d = distance(word.toLowerCase(), best);
  if (d > Math.max(2, Math.floor(word.length / 3))) return undefined;
  return candidates[lower.indexOf(best)];
}
