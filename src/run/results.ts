/**
 * The results document (design §4, schema/results.schema.json): keys sorted, no timestamps,
 * host names, absolute paths or wall-clock times, so the same file and seed give a
 * byte-identical document.
 */
import path from "node:path";
import type { MergedScenario } from "../dsl/load.js";
import type { Plan } from "../dsl/plan.js";
import { canonicalJson, modelVersion, sortKeys } from "./identity.js";
import { SERIES_KEY } from "./series-key.js";
import type { PointResult } from "./runner.js";

export const RESULTS_FORMAT = "loopdrv-results/1";

/**
 * Where a point's throughput series travels with its metrics (through the worker pool and
 * the cache) until the document gives it its own key.
 */

/** Design §4 `series`: throughput per bin of `bin_s` seconds, from the start of the window. */
export interface PointSeries {
  bin_s: number;
  throughput_bits_per_s: number[];
}

/** A point as the document holds it: the runner's result, with its series (if any) under its own key. */
export type ResultsPoint = PointResult & { series?: PointSeries };

/** The point with a series that travelled in its metrics moved to `series` (point.ts SERIES_KEY). */
export function liftSeries(p: PointResult): ResultsPoint {
  if (!(SERIES_KEY in p.metrics)) return p;
  const { [SERIES_KEY]: series, ...metrics } = p.metrics;
  return { ...p, metrics, series: series as PointSeries };
}

export interface ResultsDocument {
  format: string;
  loopdrv_version: string;
  model_version: string;
  scenario: { name: string; file: string; normalised: Record<string, unknown> };
  seed: number;
  quick: boolean;
  partial: boolean;
  shard?: { index: number; count: number };
  points: ResultsPoint[];
  expect: { name: string; passed: boolean; detail: string }[];
}

/** The scenario file as recorded: relative to the working directory, never absolute. */
export function recordedFile(file: string, cwd: string): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  return (rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : path.basename(abs)).split(path.sep).join("/");
}

export function buildResults(args: {
  merged: MergedScenario;
  plan: Plan;
  points: PointResult[];
  partial: boolean;
  version: string;
  cwd: string;
  expect?: ResultsDocument["expect"];
  /** A shard's document (`run --shard i/n`): `points` are that shard's. */
  shard?: { index: number; count: number };
}): ResultsDocument {
  const { plan, merged } = args;
  const base = plan.points[0]!.scenario;
  const normalised: Record<string, unknown> = {
    ...base,
    sweep: {
      axes: plan.axes.map((a) => ({ path: a.path, group: a.group, values: plan.points.map((p) => p.params[a.path]).filter((v, i, all) => all.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i) })),
      excluded: plan.excluded,
    },
  };
  if (Array.isArray(merged.value.expect)) normalised.expect = merged.value.expect;
  // The figure's axes, so figures can be drawn from the document alone (e.g. after `merge`).
  if (merged.value.figure && typeof merged.value.figure === "object") normalised.figure = merged.value.figure;
  return sortKeys({
    format: RESULTS_FORMAT,
    loopdrv_version: args.version,
    model_version: modelVersion(),
    scenario: { name: plan.name, file: recordedFile(plan.file, args.cwd), normalised },
    seed: base.run.seed,
    quick: plan.quick,
    partial: args.partial,
    ...(args.shard ? { shard: { index: args.shard.index, count: args.shard.count } } : {}),
    points: args.points.map(liftSeries),
    expect: args.expect ?? [],
  }) as ResultsDocument;
}

export function resultsJson(doc: ResultsDocument): string {
  return canonicalJson(doc, 2) + "\n";
}
