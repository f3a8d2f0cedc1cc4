/**
 * Fixed scenes of the watch dashboard (`run --watch`): a gige-user-sized sweep before an
 * edit, during the rerun it causes (the changed point running, the previous curves faint),
 * after it, and with the file broken — from fixed inputs, rendered with ink-testing-library.
 */
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { formatDiagnostics } from "../../src/diag/format.js";
import { figureData } from "../../src/report/figure-data.js";
import { paramLabels } from "../../src/report/labels.js";
import { ProgressTracker } from "../../src/report/progress.js";
import { runInfo, type RunInfo } from "../../src/report/run-info.js";
import type { ResultsDocument } from "../../src/run/results.js";
import type { PointResult } from "../../src/run/runner.js";
import { MONO_THEME } from "../../src/tui/theme.js";
import { WatchDashboard } from "../../src/tui/WatchDashboard.js";
import { watchView, type LastRun, type WatchPoint, type WatchState } from "../../src/tui/watch-view.js";
import { fig4Metrics, syntheticDoc } from "../report/synthetic.js";
import { frame } from "./scenes.js";

export interface GigeScenes {
  info: RunInfo;
  before: ResultsDocument;
  after: ResultsDocument;
  /** Point of the edit (its result differs between the documents). */
  edited: number;
}

/** gige-user's ten points with Fig. 4's shape, and the same after an edit that moved point 8. */
export async function gigeScenes(): Promise<GigeScenes> {
  const loaded = await loadScenario(packagePath("scenarios", "gige-user.yaml"));
  const plan = planScenario(loaded.scenario!, { quick: true }).plan!;
  const info = runInfo(plan);
  const before = await syntheticDoc("gige-user.yaml", fig4Metrics, { quick: true });
  const edited = 8;
  const after: ResultsDocument = {
    ...before,
    points: before.points.map((p, i) => (i === edited ? { ...p, metrics: { ...p.metrics, throughput_bits_per_s: 640e6, cpu_utilization: 0.9 } } : p)),
  };
  return { info, before, after, edited };
}

const figOf = (info: RunInfo, points: readonly (PointResult | undefined)[]) =>
  figureData({ points: info.points.map((p, i) => points[i] ?? { id: p.id, params: p.params }), paramPaths: info.paramPaths, normalised: info.normalised });

const lastRun = (n: number, simulated: number, latencyMs?: number): LastRun => ({
  n,
  simulated,
  cached: 10 - simulated,
  wallMs: simulated === 10 ? 4200 : 610,
  ...(latencyMs !== undefined ? { latencyMs } : {}),
  ok: 10,
  total: 10,
  failed: 0,
  expectLine: "",
  expectFailed: 0,
  written: [],
});

/** The states of one edit: after the first run, mid-rerun, rerun done, then the file broken. */
export function watchStates(s: GigeScenes): Record<string, WatchState> {
  const file = "scenarios/gige-user.yaml";
  const watched = [file, "scenarios/gige-kernel.yaml"];
  const base = { file, watched, keys: "q" as const, info: s.info };
  const all = (doc: ResultsDocument, cachedExcept?: number): WatchPoint[] =>
    doc.points.map((r, i) => ({ result: r, cached: cachedExcept !== undefined && i !== cachedExcept, wallMs: cachedExcept === undefined ? 400 + 20 * i : 610 }));
  const firstFig = figOf(s.info, s.before.points);

  const first: WatchState = { ...base, phase: "done", attempt: 1, changed: [], fig: firstFig, points: all(s.before), last: lastRun(1, 10) };

  // Mid-rerun: nine points back from the cache, the edited one at 40%.
  const t = new ProgressTracker(s.info.work);
  t.onEvent({ type: "start", total: 10, work: s.info.work.reduce((a, b) => a + b, 0) }, 0);
  const mid: WatchPoint[] = s.after.points.map((r, i) => (i === s.edited ? { fraction: 0.4, previous: s.before.points[i]! } : { result: r, cached: true, wallMs: 0 }));
  s.after.points.forEach((r, i) => {
    if (i === s.edited) return;
    t.onEvent({ type: "point-start", index: i, id: r.id, params: r.params, cached: true }, 0);
    t.onEvent({ type: "point-done", index: i, result: r, events: 0, simSeconds: 0, wallMs: 0, cached: true }, 0);
  });
  t.onEvent({ type: "point-start", index: s.edited, id: s.after.points[s.edited]!.id, params: s.after.points[s.edited]!.params }, 10);
  t.onEvent({ type: "slice", index: s.edited, fraction: 0.4, events: 1000, simSeconds: 0.04 }, 250);
  const rerun: WatchState = {
    ...base,
    phase: "running",
    attempt: 2,
    changed: [file],
    snap: t.snapshot(250),
    fig: figOf(s.info, mid.map((p) => p.result)),
    before: { fig: firstFig, n: 1 },
    points: mid,
    last: lastRun(1, 10),
  };
  const afterFig = figOf(s.info, s.after.points);
  const done: WatchState = { ...rerun, phase: "done", fig: afterFig, points: all(s.after, s.edited), last: lastRun(2, 1, 680) };
  delete done.snap;

  const diagnostics = formatDiagnostics(
    [
      {
        code: "schema-enum",
        severity: "error",
        kind: "user",
        message: '"usr" is not one of "kernel", "user"',
        hint: 'did you mean "user"?',
        range: { file, start: { line: 18, col: 18 }, end: { line: 18, col: 21 } },
      },
    ],
    { sources: new Map([[file, "\n".repeat(17) + "      placement: usr\n"]]) },
  ).split("\n");
  const broken: WatchState = { ...done, phase: "invalid", attempt: 3, diagnostics: { lines: diagnostics, errors: 1, warnings: 0 } };
  return { first, rerun, done, broken };
}

export async function watchScenes(): Promise<Record<string, string>> {
  const s = await gigeScenes();
  const states = watchStates(s);
  const labels = paramLabels(s.info.paramPaths);
  const out: Record<string, string> = {};
  const draw = (st: WatchState, columns: number, rows: number) => frame(<WatchDashboard view={watchView(st, { columns, rows }, MONO_THEME, labels)} width={columns} theme={MONO_THEME} />);
  out["watch-gige-first-100x40"] = draw(states.first!, 100, 40);
  out["watch-gige-rerun-100x40"] = draw(states.rerun!, 100, 40);
  out["watch-gige-rerun-done-100x40"] = draw(states.done!, 100, 40);
  out["watch-gige-broken-100x40"] = draw(states.broken!, 100, 40);
  out["watch-gige-broken-80x24"] = draw(states.broken!, 80, 24);
  return out;
}
