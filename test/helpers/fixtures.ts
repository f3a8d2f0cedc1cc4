/**
 * Paths of the test fixtures and the shipped scenarios, and small loaders that fail a test
 * with the formatted diagnostics (so a broken fixture explains itself).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatDiagnostics } from "../../src/diag/format.js";
import { loadScenario, type LoadOptions, type MergedScenario } from "../../src/dsl/load.js";
import { planScenario, type Plan, type PlanOptions } from "../../src/dsl/plan.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (tests run from it; diagnostics name files relative to it). */
export const ROOT = path.resolve(here, "..", "..");
export const INVALID_DIR = path.join(ROOT, "test", "fixtures", "invalid");
export const VALID_DIR = path.join(ROOT, "test", "fixtures", "valid");
export const SCENARIOS_DIR = path.join(ROOT, "scenarios");

/** A path as a user would type it from the repository root (what `loopdrv validate` sees). */
export function rel(abs: string): string {
  return path.relative(process.cwd(), abs) || abs;
}

export function validFixture(name: string): string {
  return rel(path.join(VALID_DIR, name));
}

export function invalidFixture(name: string): string {
  return rel(path.join(INVALID_DIR, name));
}

export function scenario(name: string): string {
  return rel(path.join(SCENARIOS_DIR, name));
}

/** Every shipped scenario, by file name, sorted. */
export function shippedScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((n) => n.endsWith(".yaml"))
    .sort();
}

/** Load a scenario that must be valid. */
export async function loadOk(file: string, opts: LoadOptions = {}): Promise<MergedScenario> {
  const r = await loadScenario(file, opts);
  if (!r.scenario) throw new Error(`expected ${file} to load:\n${formatDiagnostics(r.diagnostics, { sources: r.sources })}`);
  return r.scenario;
}

/** Load and plan a scenario that must be valid. */
export async function planOk(file: string, opts: LoadOptions & PlanOptions = {}): Promise<Plan> {
  const s = await loadOk(file, opts.set ? { set: opts.set } : {});
  const p = planScenario(s, opts);
  if (!p.plan) throw new Error(`expected ${file} to plan:\n${formatDiagnostics(p.diagnostics, { sources: s.sources })}`);
  return p.plan;
}

/**
 * Where `text` is written in a file (1-based line and column of its first occurrence on the
 * first line containing `lineText`), so tests on shipped scenarios survive edits elsewhere.
 */
export function positionOf(file: string, lineText: string, text = lineText): { line: number; col: number } {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  const i = lines.findIndex((l) => l.includes(lineText));
  if (i < 0) throw new Error(`${file} has no line containing ${JSON.stringify(lineText)}`);
  const col = lines[i]!.indexOf(text, lines[i]!.indexOf(lineText));
  if (col < 0) throw new Error(`${file}:${i + 1} has no ${JSON.stringify(text)}`);
  return { line: i + 1, col: col + 1 };
}
