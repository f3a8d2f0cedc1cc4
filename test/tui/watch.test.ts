/**
 * The watch dashboard (`run --watch`): the previous run's faint overlay, the layout that
 * keeps the whole live frame inside the terminal, golden frames of one edit, and the
 * reporter driven by the watch loop's events on a fake terminal.
 */
import { EventEmitter } from "node:events";
import { expect } from "chai";
import { runInfo } from "../../src/report/run-info.js";
import { packagePath } from "../../src/dsl/package-root.js";
import type { Curve } from "../../src/report/axes.js";
import type { FigureData } from "../../src/report/figure-data.js";
import { paramLabels } from "../../src/report/labels.js";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import type { RunOutcome } from "../../src/run/runner.js";
import { chartPanel, ghostCurves } from "../../src/tui/chart-model.js";
import { FRAME_MS } from "../../src/tui/reporter.js";
import { MONO_THEME } from "../../src/tui/theme.js";
import { watchDashboard } from "../../src/tui/watch-reporter.js";
import { watchLayout, watchView } from "../../src/tui/watch-view.js";
import { expectFrame } from "./golden.js";
import { FakeTty, INK_SEES_CI, mochaWithoutCi, plain, sleep } from "./tty-helpers.js";
import { gigeScenes, watchScenes, watchStates } from "./watch-scenes.js";

const curve = (label: string, ys: number[], metric = "throughput_bits_per_s"): Curve => ({
  key: label,
  label,
  metric,
  points: ys.map((y, i) => ({ id: `p${i}`, x: (i + 1) * 100, y })),
});
const figOf = (curves: Curve[], x = "workload.offered_load"): FigureData => ({
  axes: { x, xScale: "linear", xValues: [100, 200, 300, 400, 500, 600], series: [], y: ["throughput_bits_per_s"], labels: {}, notes: [] },
  curves,
  comparisons: [],
});

describe("the previous run's overlay (ghostCurves)", () => {
  it("keeps only the segments next to a point that moved", () => {
    const g = ghostCurves(figOf([curve("user", [1, 2, 3, 4, 5])]), figOf([curve("user", [1, 2, 9, 4, 5])]));
    expect(g.map((c) => c.points.map((p) => p.y))).to.deep.equal([[2, 3, 4]]);
  });

  it("is empty when nothing moved, and whole for a curve the new run has not drawn yet", () => {
    expect(ghostCurves(figOf([curve("user", [1, 2, 3])]), figOf([curve("user", [1, 2, 3])]))).to.deep.equal([]);
    const g = ghostCurves(figOf([curve("user", [1, 2, 3])]), figOf([curve("user", [])]));
    expect(g.map((c) => c.points.length)).to.deep.equal([3]);
  });

  it("splits into runs where the curve between them did not move", () => {
    const g = ghostCurves(figOf([curve("k", [1, 2, 3, 4, 5, 6])]), figOf([curve("k", [9, 2, 3, 4, 5, 9])]));
    expect(g.map((c) => c.points.map((p) => p.x))).to.deep.equal([
      [100, 200],
      [500, 600],
    ]);
  });

  it("matches curves by series and metric, and draws nothing across a change of x parameter", () => {
    const before = figOf([curve("kernel", [1, 2]), curve("user", [1, 2])]);
    const g = ghostCurves(before, figOf([curve("kernel", [1, 2]), curve("user", [1, 3])]));
    expect(g.map((c) => c.label)).to.deep.equal(["user"]);
    expect(ghostCurves(before, figOf([curve("user", [5, 5])], "devices.tick.rate"))).to.deep.equal([]);
  });

  it("compares a new grid with the old curve where both have points, and leaves off what the new x range does not reach", () => {
    // The offered-load grid moved by 50 Mb/s and was cut at 350: the results lie on the same line.
    const line = (xs: number[], f: (x: number) => number): Curve => ({ key: "user", label: "user", metric: "throughput_bits_per_s", points: xs.map((x, i) => ({ id: `p${i}`, x, y: f(x) })) });
    const before = figOf([line([100, 200, 300, 400, 500], (x) => x)]);
    const regrid = (c: Curve): FigureData => ({ ...figOf([c]), axes: { ...figOf([]).axes, xValues: [150, 250, 350] } });
    expect(ghostCurves(before, regrid(line([150, 250, 350], (x) => x)))).to.deep.equal([]);
    // The same grid change with the curve moved: the old points in range are the ghost.
    const g = ghostCurves(before, regrid(line([150, 250, 350], (x) => 2 * x)));
    expect(g.map((c) => c.points.map((p) => p.x))).to.deep.equal([[200, 300]]);
  });

  it("is drawn faint, under the new curves, and counts for the y range", () => {
    const before = figOf([curve("user", [100, 200, 300, 400, 500])]);
    const now = figOf([curve("user", [100, 200, 300, 400, 2000])]);
    const ghost = { curves: ghostCurves(now, before), tone: "gray", label: "before" };
    const p = chartPanel(before, "throughput_bits_per_s", {}, { cols: 30, rows: 6 }, () => "cyan", undefined, ghost);
    const tones = new Set(p.rows.flat().map((s) => s.tone));
    expect(tones).to.include("gray");
    expect(tones).to.include("cyan");
    // The ghost reaches 2000: the axis goes past it.
    expect(p.yLabels[0]).to.match(/k?b\/s/);
    const plain = chartPanel(before, "throughput_bits_per_s", {}, { cols: 30, rows: 6 }, () => "cyan");
    expect(p.yLabels[0]).not.to.equal(plain.yLabels[0]);
  });
});

describe("the watch layout", () => {
  it("never plans a frame taller than the terminal less two lines", () => {
    for (const rows of [10, 14, 20, 24, 30, 40, 60])
      for (const columns of [40, 60, 80, 100, 160])
        for (const diagnostics of [0, 3, 30])
          for (const points of [0, 10, 100]) {
            const l = watchLayout({ columns, rows, metrics: 2, points, diagnostics });
            const chart = l.chart ? l.chart.rows + 5 : 0;
            const diag = l.diagnostics ? l.diagnostics + 1 : 0;
            const table = l.table ? points + 2 : 0;
            expect(5 + chart + diag + table, JSON.stringify({ rows, columns, diagnostics, points, l })).to.be.at.most(rows - 2);
          }
  });

  it("shows a broken file's diagnostics before the chart, and the table only when every row fits", () => {
    const small = watchLayout({ columns: 80, rows: 24, metrics: 2, points: 10, diagnostics: 6 });
    expect(small.diagnostics).to.equal(6);
    expect(small.chart?.rows).to.be.at.least(4);
    expect(small.table).to.equal(false);
    const big = watchLayout({ columns: 100, rows: 40, metrics: 2, points: 10, diagnostics: 0 });
    expect(big).to.deep.include({ table: true, diagnostics: 0 });
    expect(big.chart).to.deep.include({ panels: 2, sideBySide: true, rows: 16 });
    expect(watchLayout({ columns: 100, rows: 40, metrics: 2, points: 100, diagnostics: 0 }).table).to.equal(false);
  });
});

describe("watch dashboard frames", function () {
  this.timeout(30_000);
  let scenes: Record<string, string>;
  before(async () => {
    scenes = await watchScenes();
  });
  for (const name of ["watch-gige-first-100x40", "watch-gige-rerun-100x40", "watch-gige-rerun-done-100x40", "watch-gige-broken-100x40", "watch-gige-broken-80x24"]) {
    it(`${name} matches its golden frame`, () => expectFrame(name, scenes[name]!));
  }

  it("fits every frame in its terminal", () => {
    for (const [name, f] of Object.entries(scenes)) {
      const [cols, rows] = name.split("-").pop()!.split("x").map(Number);
      const lines = f.split("\n");
      expect(lines.length, name).to.be.at.most(rows! - 2);
      expect(Math.max(...lines.map((l) => [...l].length)), name).to.be.at.most(cols!);
    }
  });

  it("says what the edit cost, marks the overlay in the legend, and keeps the last good run under the diagnostics", () => {
    expect(scenes["watch-gige-rerun-100x40"]).to.include("run 2 · gige-user.yaml saved · simulating 1 changed point, 9 unchanged from the cache");
    expect(scenes["watch-gige-rerun-100x40"]).to.include("⠒⠒ run 1, before the save");
    // The running point keeps its previous values (faint) until its new ones arrive.
    expect(scenes["watch-gige-rerun-100x40"]).to.match(/p8 +900 Mb\/s +842\.5 Mb\/s .* ▸ 40%/);
    expect(scenes["watch-gige-rerun-done-100x40"]).to.include("run 2 · gige-user.yaml saved · up to date in 0.68 s · 1 simulated, 9 cached");
    expect(scenes["watch-gige-first-100x40"]).not.to.include("before the save");
    expect(scenes["watch-gige-broken-100x40"]).to.include("gige-user.yaml saved · not run: 1 error below — fix and save (the chart shows run 2)");
    expect(scenes["watch-gige-broken-80x24"]).to.include('"usr" is not one of "kernel", "user"');
    expect(scenes["watch-gige-broken-80x24"]).to.include("throughput vs offered load");
  });

  it("counts a first run's points found in the cache", async () => {
    const s = await gigeScenes();
    const st = watchStates(s).first!;
    st.last = { ...st.last!, simulated: 0, cached: 10 };
    const v = watchView(st, { columns: 100, rows: 40 }, MONO_THEME, paramLabels(s.info.paramPaths));
    expect(v.status.text).to.match(/^run 1 · up to date: 0 points simulated, 10 cached in /);
  });

  it("says why no figure was written with the files, and counts checks not made as run does", async () => {
    const s = await gigeScenes();
    const st = watchStates(s).first!;
    st.last = { ...st.last!, written: ["out/results.json", "out/results.csv"], figureSkipped: "no figure: no finished point has throughput_bits_per_s_sd", expectLine: "expect: 0 passed, 0 failed, 1 not checked" };
    const v = watchView(st, { columns: 200, rows: 40 }, MONO_THEME, paramLabels(s.info.paramPaths));
    expect(v.outcome!.text).to.equal(
      "10 ok of 10 points (quick) · expect: 0 passed, 0 failed, 1 not checked · wrote out/results.json, out/results.csv (no figure: no finished point has throughput_bits_per_s_sd)",
    );
  });

  it("cuts long diagnostics short with a pointer to validate", async () => {
    const s = await gigeScenes();
    const st = watchStates(s).broken!;
    st.diagnostics = { lines: Array.from({ length: 40 }, (_, i) => `line ${i}`), errors: 9, warnings: 0 };
    const v = watchView(st, { columns: 80, rows: 24 }, MONO_THEME, paramLabels(s.info.paramPaths));
    expect(v.diagnostics!.at(-1)).to.match(/^… \d+ more lines: `loopdrv validate scenarios\/gige-user.yaml` shows them all$/);
  });
});

if (INK_SEES_CI) {
  describe("the watch dashboard reporter (in a child process without CI)", function () {
    this.timeout(120_000);
    it("passes every test of this file", () => {
      const r = mochaWithoutCi("test/tui/watch.test.ts");
      expect(r.status, r.stdout + r.stderr).to.equal(0);
    });
  });
} else {
  describe("the watch dashboard reporter", function () {
    this.timeout(30_000);

    // (Colours are checked in a real terminal: test/e2e/watch.test.ts.)
    it("draws a rerun over the previous curves and leaves the last frame behind on close", async () => {
      const tty = new FakeTty();
      const s = await gigeScenes();
      const loaded = await loadScenario(packagePath("scenarios", "gige-user.yaml"));
      const plan = planScenario(loaded.scenario!, { quick: true }).plan!;
      const r = watchDashboard({ file: "scenarios/gige-user.yaml", cwd: packagePath(), output: tty as unknown as NodeJS.WriteStream, color: true, onStop: () => {}, stopRequested: () => undefined });
      const outcome = (simulated: number): RunOutcome => ({ points: [], partial: false, simulated, cached: 10 - simulated });
      const watched = [packagePath("scenarios", "gige-user.yaml"), packagePath("scenarios", "gige-kernel.yaml")];
      const runOf = async (attempt: number, doc: typeof s.before, simulate: (i: number) => boolean) => {
        r.onWatch({ type: "run-start", attempt, plan, scenario: loaded.scenario!, diagnostics: [], sources: loaded.sources, watched });
        r.onProgress({ type: "start", total: 10, work: runInfo(plan).work.reduce((a, b) => a + b, 0) });
        doc.points.forEach((p, i) => {
          const cached = !simulate(i);
          r.onProgress({ type: "point-start", index: i, id: p.id, params: p.params, ...(cached ? { cached } : {}) });
          r.onProgress({ type: "point-done", index: i, result: p, events: 1, simSeconds: 1, wallMs: cached ? 0 : 300, ...(cached ? { cached } : {}) });
        });
        await sleep(2 * FRAME_MS);
      };
      r.onWatch({ type: "load", attempt: 1, changed: [] });
      await runOf(1, s.before, () => true);
      r.onWatch({ type: "run-end", attempt: 1, outcome: outcome(10), wallMs: 4000, doc: s.before, written: [], endedAt: 5000 });
      const firstEnd = tty.chunks.length;
      r.onWatch({ type: "load", attempt: 2, changed: [watched[0]!], savedAt: 10_000 });
      await runOf(2, s.after, (i) => i === s.edited);
      r.onWatch({ type: "run-end", attempt: 2, outcome: outcome(1), wallMs: 600, doc: s.after, written: [], savedAt: 10_000, endedAt: 10_700 });
      await sleep(2 * FRAME_MS);
      const after = plain(tty.chunks.slice(firstEnd).join(""));
      expect(after).to.include("run 2 · gige-user.yaml saved · up to date in 0.70 s · 1 simulated, 9 cached");
      expect(after).to.include("run 1, before the save");
      // Redrawn in place: never a clear screen, and no frame taller than the terminal.
      expect(tty.text).not.to.include("\u001b[2J");
      await r.close("q");
      const out = plain(tty.text);
      expect(out.trimEnd().endsWith("stopped watching (q)")).to.equal(true);
    });

    it("shows the diagnostics of a broken file and keeps the last good chart", async () => {
      const tty = new FakeTty();
      tty.columns = 80;
      tty.rows = 24;
      const r = watchDashboard({ file: "broken.yaml", cwd: packagePath(), output: tty as unknown as NodeJS.WriteStream, color: false, onStop: () => {}, stopRequested: () => undefined });
      r.onWatch({ type: "load", attempt: 1, changed: [] });
      r.onWatch({
        type: "invalid",
        attempt: 1,
        diagnostics: [{ code: "yaml-syntax", severity: "error", kind: "user", message: "bad indentation", range: { file: "broken.yaml", start: { line: 2, col: 1 }, end: { line: 2, col: 2 } } }],
        sources: new Map([["broken.yaml", "a:\n b: 1\n"]]),
        watched: [packagePath("broken.yaml")],
      });
      await sleep(FRAME_MS);
      const out = plain(tty.text);
      expect(out).to.include("not run: 1 error below — fix and save");
      expect(out).to.include("broken.yaml:2:1: error: bad indentation [yaml-syntax]");
      // A file of the set deleted (or moved away): the status line says removed, not saved.
      const base = packagePath("base.yaml");
      r.onWatch({ type: "load", attempt: 2, changed: [base, packagePath("broken.yaml")], removed: [base], savedAt: 1 });
      r.onWatch({
        type: "invalid",
        attempt: 2,
        diagnostics: [{ code: "file-not-found", severity: "error", kind: "user", message: "no such file base.yaml", range: { file: "base.yaml", start: { line: 1, col: 1 }, end: { line: 1, col: 1 } } }],
        sources: new Map(),
        watched: [packagePath("broken.yaml"), base],
      });
      await sleep(FRAME_MS);
      expect(plain(tty.text)).to.include("broken.yaml saved, base.yaml removed · not run: 1 error below");
      await r.close();
      expect(plain(tty.text).trimEnd().endsWith("stopped watching")).to.equal(true);
    });

    it("quits on q", async () => {
      const tty = new FakeTty();
      const input = new EventEmitter() as EventEmitter & { isTTY: boolean; setRawMode(b: boolean): void; setEncoding(): void; ref(): void; unref(): void; read(): string | null; resume(): void; pause(): void };
      let buffered: string | null = null;
      Object.assign(input, { isTTY: true, setRawMode() {}, setEncoding() {}, ref() {}, unref() {}, resume() {}, pause() {}, read: () => { const b = buffered; buffered = null; return b; } });
      let stop: string | undefined;
      const r = watchDashboard({ file: "x.yaml", cwd: packagePath(), output: tty as unknown as NodeJS.WriteStream, input: input as unknown as NodeJS.ReadStream, color: false, onStop: (why) => (stop = why), stopRequested: () => stop });
      r.onWatch({ type: "load", attempt: 1, changed: [] });
      await sleep(20);
      buffered = "q";
      input.emit("readable");
      await sleep(20);
      expect(stop).to.equal("q");
      await r.close("q");
    });
  });
}
