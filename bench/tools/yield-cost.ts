/**
 * What delegating to a program costs: `yield*` of a fresh generator that returns at once,
 * against a plain call of a function that does the same (the model's hot paths avoid the
 * former where they can: docs/performance.md, "Fewer generators on hot paths").
 *
 *   npx tsx bench/tools/yield-cost.ts
 */
const N = 20_000_000;
let sink = 0;

function* leaf(x: number): Generator<never, number> {
  return x + 1;
}
function plain(x: number): number {
  return x + 1;
}
function* viaYield(n: number): Generator<never, void> {
  for (let i = 0; i < n; i++) sink += yield* leaf(i);
}
function* viaCall(n: number): Generator<never, void> {
  for (let i = 0; i < n; i++) sink += plain(i);
}

function time(make: (n: number) => Generator<never, void>): number {
  const t0 = performance.now();
  make(N).next();
  return ((performance.now() - t0) * 1e6) / N; // ns per iteration
}

for (let round = 0; round < 3; round++) time(viaYield) + time(viaCall); // warm-up
const best = (f: () => number) => Math.min(f(), f(), f());
const y = best(() => time(viaYield));
const c = best(() => time(viaCall));
console.log(`yield* of a fresh generator: ${y.toFixed(1)} ns; a plain call: ${c.toFixed(1)} ns (best of 3 × ${N / 1e6} M; sink ${sink % 10})`);
