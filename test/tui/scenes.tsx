/**
 * Fixed scenes for the component tests: a run's info, progress, counters and results, all
 * from fixed inputs (no clock, no simulation), rendered with ink-testing-library.
 */
import { render } from "ink-testing-library";
import type { ReactElement } from "react";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { figureData, figureDataOfDoc } from "../../src/report/figure-data.js";
import { paramLabels } from "../../src/report/labels.js";
import { ProgressTracker } from "../../src/report/progress.js";
import { runInfo, type RunInfo } from "../../src/report/run-info.js";
import { buildSummary } from "../../src/report/summary.js";
import type { ResultsDocument } from "../../src/run/results.js";
import type { LiveCounters } from "../../src/run/point.js";
import type { PointResult } from "../../src/run/runner.js";
import { Dashboard } from "../../src/tui/Dashboard.js";
import { Header } from "../../src/tui/Header.js";
import { LiveArea } from "../../src/tui/LiveArea.js";
import { PointRow } from "../../src/tui/PointRow.js";
import { Summary } from "../../src/tui/Summary.js";
import { TableHeader } from "../../src/tui/TableHeader.js";
import { rowCells, tableColumns } from "../../src/tui/table.js";
import { MONO_THEME } from "../../src/tui/theme.js";
import { liveView, type StaticItem } from "../../src/tui/view.js";
import { fig4Metrics, syntheticDoc } from "../report/synthetic.js";

export function frame(el: ReactElement): string {
  const r = render(el);
  const f = r.lastFrame() ?? "";
  r.unmount();
  return f;
}

export async function fig4(): Promise<{ info: RunInfo; doc: ResultsDocument }> {
  const loaded = await loadScenario(packagePath("scenarios", "paper-fig4.yaml"));
  const plan = planScenario(loaded.scenario!, { quick: true }).plan!;
  return { info: runInfo(plan), doc: await syntheticDoc("paper-fig4.yaml", fig4Metrics, { quick: true }) };
}

export const live = (sim: number, n: number): LiveCounters => ({
  simSeconds: sim,
  windowStartS: 0.02,
  interrupts: n,
  driverActivations: n,
  contextSwitches: 3 * n,
  systemCalls: 2 * n,
  cpuSeconds: { application: sim * 0.3, stack: sim * 0.2, driver: sim * 0.1, irq: sim * 0.05, softirq: sim * 0.05, context_switch: sim * 0.02, syscall: sim * 0.03, idle: sim * 0.25 },
  drops: { backlog: 7, rx_ring: 0 },
});

/**
 * fig4 after `done` points, the next one half through with live counters. Each point takes
 * wall time in proportion to its share of the work (1 s for an average one), as a real
 * run's do, so the ETA is what a real run would show.
 */
export function midRun(info: RunInfo, doc: ResultsDocument, done: number) {
  const t = new ProgressTracker(info.work);
  const points: PointResult[] = info.points.map((p) => ({ id: p.id, params: p.params, status: "not-run", metrics: {} }));
  const total = info.work.reduce((a, b) => a + b, 0);
  t.onEvent({ type: "start", total: info.points.length, work: total }, 0);
  let now = 1000;
  for (let i = 0; i < done; i++) {
    t.onEvent({ type: "point-start", index: i, id: info.points[i]!.id, params: info.points[i]!.params }, now);
    now += Math.round((1000 * info.work[i]! * info.points.length) / total);
    points[i] = doc.points[i]!;
    t.onEvent({ type: "point-done", index: i, result: doc.points[i]!, events: 2_000_000, simSeconds: 0.12, wallMs: 400 }, now);
  }
  t.onEvent({ type: "point-start", index: done, id: info.points[done]!.id, params: info.points[done]!.params }, now);
  t.onEvent({ type: "slice", index: done, fraction: 0.4, events: 800_000, simSeconds: 0.048, live: live(0.04, 100) }, now + 100);
  t.onEvent({ type: "slice", index: done, fraction: 0.5, events: 1_000_000, simSeconds: 0.06, live: live(0.06, 260) }, now + 200);
  const fig = figureData({ points: points.map((p, i) => (i < done ? p : { id: p.id, params: p.params })), paramPaths: info.paramPaths, normalised: info.normalised, ...(info.reference ? { reference: info.reference } : {}) });
  return { snap: t.snapshot(now + 200), fig, points };
}

export async function scenes(): Promise<Record<string, string>> {
  const { info, doc } = await fig4();
  const labels = paramLabels(info.paramPaths);
  const theme = MONO_THEME;
  const out: Record<string, string> = {};

  out["header-fig4"] = frame(<Header info={info} theme={theme} />);

  const { snap, fig } = midRun(info, doc, 30);
  const view = liveView({ info, snap, fig, labels, columns: 100, rows: 40, theme, keys: "q" });
  out["live-fig4-100x40"] = frame(<LiveArea view={view} width={100} theme={theme} />);
  const narrow = liveView({ info, snap, fig, labels, columns: 70, rows: 24, theme, keys: "ctrl-c", stopping: "stopping (q): finishing the current slice, then writing the finished points…" });
  out["live-fig4-70x24-stopping"] = frame(<LiveArea view={narrow} width={70} theme={theme} />);

  const columns = tableColumns(info, fig.axes.y, 99, labels);
  const failed: PointResult = { ...doc.points[3]!, status: "failed", error: "internal error (a bug in loopdrv): boom", metrics: {} };
  out["table-fig4"] = [
    frame(<TableHeader columns={columns} theme={theme} />),
    frame(<PointRow columns={columns} row={rowCells(info, doc.points[0]!, 400, false, columns)} theme={theme} />),
    frame(<PointRow columns={columns} row={rowCells(info, doc.points[1]!, 0, true, columns)} theme={theme} />),
    frame(<PointRow columns={columns} row={rowCells(info, failed, 1200, false, columns)} theme={theme} />),
  ].join("\n");

  const finished: ResultsDocument = {
    ...doc,
    expect: [
      { name: "user keeps 90% of the kernel's peak", passed: true, detail: "peak 790 Mb/s at p98 >= 0.9 × 850 Mb/s at p49" },
      { name: "CPU under 60% at 720 Mb/s", passed: false, detail: "61.2% at p83 is not < 60.0%" },
    ],
  };
  const summary = buildSummary(finished, figureDataOfDoc(finished), { written: ["out/results.json", "out/results.csv", "out/figure.svg", "out/figure.png"], wallSeconds: 42.5, json: false });
  out["summary-fig4"] = frame(<Summary summary={summary} theme={theme} />);

  const items: StaticItem[] = [
    { kind: "header", key: "header" },
    { kind: "table-head", key: "head", columns },
    ...doc.points.slice(0, 3).map((p, i): StaticItem => ({ kind: "row", key: `r${i}`, columns, row: rowCells(info, p, 400, false, columns) })),
  ];
  const early = midRun(info, doc, 3);
  const earlyView = liveView({ info, snap: early.snap, fig: early.fig, labels, columns: 100, rows: 30, theme, keys: "q" });
  out["dashboard-fig4-early"] = frame(<Dashboard info={info} items={items} live={earlyView} width={100} theme={theme} />);
  // The summary as the dashboard prints it at the end on a 64-column terminal: long lines
  // wrapped by Ink, each continuation under the start of its text.
  out["summary-fig4-64cols"] = frame(<Dashboard info={info} items={[{ kind: "summary", key: "summary", summary }]} width={64} theme={theme} />);
  return out;
}
