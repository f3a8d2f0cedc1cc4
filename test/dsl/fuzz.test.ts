/**
 * Property: whatever a user does to a scenario file — delete, duplicate or swap lines, put
 * a wrong unit or a near-miss key in, indent with a tab, cut the file short, paste control
 * characters — loading never throws and never reports an internal error, and every
 * diagnostic has a catalogued code and a location that an editor can jump to.
 *
 * The shipped scenarios are copied to a temporary directory so that `extends` still finds
 * its base when a mutant of a derived scenario is loaded.
 */
import { expect } from "chai";
import fc from "fast-check";
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { msg } from "../../src/diag/messages.js";
import { validateFiles } from "../../src/dsl/check.js";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { UNIT_ERROR } from "../../src/dsl/units.js";
import { SCENARIOS_DIR, shippedScenarios } from "../helpers/fixtures.js";
import { TmpDir } from "../helpers/tmp.js";

const SEED = 20050415;
const RUNS = 300;

const CATALOG = new Set<string>([...Object.keys(msg), ...Object.values(UNIT_ERROR)]);

/** Values a user might type in the wrong place: wrong case, wrong dimension, bad numbers, YAML syntax. */
const TOKENS = [
  "100 mb/s", "100 MB/s", "100 Mbps", "5 ms", "5 MS", "900 mhz", "900 Hz", "1 Gb/s", "64 mib", "8 sectors",
  "1500 Cycles", "1.2 cycles/B", "2000/S", "2000/s", "0/s", "0", "-1", "-0", "1e309", "1_000 B", "1,5 ms",
  "0.1.2 ms", "16.77697 ms", "65536", "4294967296", "2.5", "kernel", "usr", "user", "eth1", "hda",
  "gige-nic", "ide-disk", "hp-zx200", "paper-fig9", "abc", "[]", "{}", "[1, 2", "{a: 1", "~", "null",
  "true", "*nowhere", "&anchor x", "'", '"', "|", ">", "- x", "? x", "!!binary AAAA", "%YAML 1.2",
  "µs", "10 μs", "∞", "\u202e", "{from: 1, to: 0, step: 1}", "{from: 1 Mb/s, to: 2 Mb/s, step: 0 Mb/s}",
];

/** Characters that do not belong in a scenario: controls, BOM, separators, bidi, astral. */
const ODD_CHARS = ["\u0000", "\u0001", "\u0007", "\b", "\t", "\u000b", "\f", "\r", "\u001b", "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "\u200b", "\ud83d\ude00", "\uffff"];

type Mutation = (text: string) => string;

const lineIndex = (lines: string[], r: number) => Math.floor(r * lines.length) % Math.max(1, lines.length);

const deleteLine = (r: number): Mutation => (t) => {
  const ls = t.split("\n");
  ls.splice(lineIndex(ls, r), 1);
  return ls.join("\n");
};

const duplicateLine = (r: number): Mutation => (t) => {
  const ls = t.split("\n");
  const i = lineIndex(ls, r);
  ls.splice(i, 0, ls[i] ?? "");
  return ls.join("\n");
};

const swapLines = (r1: number, r2: number): Mutation => (t) => {
  const ls = t.split("\n");
  const i = lineIndex(ls, r1);
  const j = lineIndex(ls, r2);
  [ls[i], ls[j]] = [ls[j]!, ls[i]!];
  return ls.join("\n");
};

const replaceScalar = (r: number, token: string): Mutation => (t) => {
  const ls = t.split("\n");
  const candidates = ls.map((l, i) => [l, i] as const).filter(([l]) => /^\s*(- )?[\w.-]+:\s+\S/.test(l) || /^\s*- \S/.test(l));
  if (candidates.length === 0) return t;
  const [l, i] = candidates[lineIndex(candidates as unknown as string[], r)]!;
  const m = /^(\s*(?:- )?(?:[\w.-]+:\s+)?)([^#]*?)(\s*(#.*)?)$/.exec(l)!;
  ls[i] = `${m[1]}${token}${m[3] ?? ""}`;
  return ls.join("\n");
};

const insertTab = (r: number, atLineStart: boolean): Mutation => (t) => {
  if (atLineStart) {
    const ls = t.split("\n");
    const i = lineIndex(ls, r);
    ls[i] = "\t" + ls[i];
    return ls.join("\n");
  }
  const at = Math.floor(r * t.length);
  return t.slice(0, at) + "\t" + t.slice(at);
};

const reindent = (r: number, delta: number): Mutation => (t) => {
  const ls = t.split("\n");
  const i = lineIndex(ls, r);
  ls[i] = delta > 0 ? " ".repeat(delta) + ls[i] : ls[i]!.replace(new RegExp(`^ {0,${-delta}}`), "");
  return ls.join("\n");
};

const truncate = (r: number): Mutation => (t) => t.slice(0, Math.floor(r * t.length));

const insertChars = (r: number, chars: string): Mutation => (t) => {
  const at = Math.floor(r * t.length);
  return t.slice(0, at) + chars + t.slice(at);
};

/** A near miss of a key: one character dropped, doubled, swapped with the next, or its case changed. */
const nearMissKey = (r: number, how: number): Mutation => (t) => {
  const ls = t.split("\n");
  const keyed = ls.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[A-Za-z_][\w.-]*:/.test(l));
  if (keyed.length === 0) return t;
  const [l, i] = keyed[lineIndex(keyed as unknown as string[], r)]!;
  const m = /^(\s*)([A-Za-z_][\w.-]*)(:.*)$/.exec(l)!;
  const k = m[2]!;
  const p = Math.floor(r * 7919) % k.length;
  const variants = [
    k.slice(0, p) + k.slice(p + 1),
    k.slice(0, p) + k[p] + k.slice(p),
    k.slice(0, p) + (k[p + 1] ?? "") + k[p] + k.slice(p + 2),
    k.slice(0, p) + k[p]!.toUpperCase() + k.slice(p + 1),
  ];
  ls[i] = `${m[1]}${variants[how % variants.length] || "x"}${m[3]}`;
  return ls.join("\n");
};

/** A position in [0, 1) (a line, an offset): spread evenly; unbiased, since fast-check would otherwise favour the ends. */
const unit = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);

// Weighted towards edits that keep the YAML readable, so most runs reach the schema, the
// semantic checks and the sweep rather than stopping at a syntax error.
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(unit, fc.constantFrom(...TOKENS)).map(([r, tok]) => replaceScalar(r, tok)) },
  { weight: 3, arbitrary: fc.tuple(unit, fc.nat()).map(([r, h]) => nearMissKey(r, h)) },
  { weight: 2, arbitrary: unit.map(deleteLine) },
  { weight: 1, arbitrary: unit.map(duplicateLine) },
  { weight: 1, arbitrary: fc.tuple(unit, unit).map(([a, b]) => swapLines(a, b)) },
  { weight: 1, arbitrary: fc.tuple(unit, fc.boolean()).map(([r, s]) => insertTab(r, s)) },
  { weight: 1, arbitrary: fc.tuple(unit, fc.integer({ min: -2, max: 2 })).map(([r, d]) => reindent(r, d)) },
  { weight: 1, arbitrary: unit.map(truncate) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(unit, fc.oneof(fc.constantFrom(...ODD_CHARS), fc.string({ unit: "grapheme", maxLength: 3 })))
      .map(([r, c]) => insertChars(r, c)),
  },
);

function problems(ds: readonly Diagnostic[]): string[] {
  const out: string[] = [];
  for (const d of ds) {
    if (d.kind === "internal") out.push(`internal: ${d.message}`);
    if (!CATALOG.has(d.code)) out.push(`code not in the catalog: ${d.code} (${d.message})`);
    if (!d.range) out.push(`no location: ${d.code}`);
    else if (!(d.range.start.line >= 1 && d.range.start.col >= 1)) out.push(`bad location ${d.range.start.line}:${d.range.start.col}: ${d.code}`);
  }
  return out;
}

describe("fuzz: mutated scenarios", function () {
  this.timeout(30_000);
  const tmp = new TmpDir();
  const names = shippedScenarios();
  const texts = new Map(names.map((n) => [n, readFileSync(path.join(SCENARIOS_DIR, n), "utf8")]));

  before(() => {
    for (const n of names) copyFileSync(path.join(SCENARIOS_DIR, n), path.join(tmp.dir, n));
  });
  after(() => tmp.remove());

  it("never throw, never report an internal error, and report only catalogued, located diagnostics", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.array(mutation, { minLength: 1, maxLength: 2 }), async (name, mutations) => {
        const text = mutations.reduce((t, m) => m(t), texts.get(name)!);
        const file = tmp.write(text, "mutant.yaml");
        const [r] = await validateFiles([file]);
        const found = problems(r!.diagnostics);
        // The same document planned with --quick takes the other branch of plan.ts.
        const loaded = await loadScenario(file);
        if (loaded.scenario) found.push(...problems(planScenario(loaded.scenario, { quick: true }).diagnostics));
        expect(found, text).to.deep.equal([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
