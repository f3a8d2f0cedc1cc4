/**
 * Whole sweeps through the CLI's point runner (bench/cli-child.ts, one fresh process per
 * measurement, so each starts with cold workers and its own peak RSS):
 *
 * - core_smoke_*: scenarios/core-smoke.yaml at full size (6 points) with 1 and 2 jobs and
 *   no cache, then twice with 2 jobs and an empty temporary cache (the second run is the
 *   cached rerun). Runs in a few seconds; it shows the pool's and the cache's overheads.
 * - paper_full_wall_s: paper-fig2.yaml and paper-fig4.yaml at full size, all points, as two
 *   CLI runs with --jobs 2 --json and an empty temporary cache (issue 7: goal ≤ 20 s on
 *   2 cores); cached_rerun_wall_s: the same rerun unchanged with that cache (goal ≤ 1 s).
 *
 * The CLI is the compiled one (bench/build.ts: the tree is built once per bench run), as
 * users run it. Wall times exclude starting Node (the same for every run; see
 * docs/performance.md).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runChild } from "../build.js";
import type { Figure } from "../figure.js";

interface ChildReport {
  wallS: number;
  codes: number[];
  points: number;
  maxRssBytes: number;
}

async function cliRuns(cacheDir: string | undefined, jobs: number, files: string[]): Promise<ChildReport> {
  const { stdout, stderr } = await runChild("bench/cli-child.ts", [cacheDir ?? "-", String(jobs), ...files], 64 * 1024 * 1024);
  const r = JSON.parse(stdout) as ChildReport;
  // Exit 0, or 1 when an expectation fails: the run itself worked.
  if (r.codes.some((c) => c !== 0 && c !== 1)) throw new Error(`loopdrv run ${files.join(" ")} exited ${r.codes.join(", ")}:\n${stderr.slice(-4000)}`);
  return r;
}

async function withTempCache<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "loopdrv-bench-cache-"));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const SMOKE = ["scenarios/core-smoke.yaml"];
const PAPER = ["scenarios/paper-fig2.yaml", "scenarios/paper-fig4.yaml"];

export const smokeSweepFigure: Figure = {
  id: "smoke-sweep",
  metrics: {
    core_smoke_jobs1_wall_s: { unit: "s", description: "core-smoke.yaml, full size, 6 points, --jobs 1 (this thread), no cache" },
    core_smoke_jobs2_wall_s: { unit: "s", description: "the same with --jobs 2 (worker threads, started cold)" },
    core_smoke_cold_cache_wall_s: { unit: "s", description: "the same, --jobs 2, empty temporary cache (simulates and writes 6 entries)" },
    core_smoke_cached_rerun_wall_s: { unit: "s", description: "the same rerun unchanged: every point from the cache" },
  },
  async run() {
    const one = await cliRuns(undefined, 1, SMOKE);
    const two = await cliRuns(undefined, 2, SMOKE);
    const [cold, warm] = await withTempCache(async (dir) => [await cliRuns(dir, 2, SMOKE), await cliRuns(dir, 2, SMOKE)]);
    return {
      core_smoke_jobs1_wall_s: round3(one.wallS),
      core_smoke_jobs2_wall_s: round3(two.wallS),
      core_smoke_cold_cache_wall_s: round3(cold.wallS),
      core_smoke_cached_rerun_wall_s: round3(warm.wallS),
    };
  },
};

export const paperSweepFigure: Figure = {
  id: "paper-sweep",
  metrics: {
    paper_full_wall_s: {
      unit: "s",
      description: "paper-fig2.yaml + paper-fig4.yaml, full size, all points, two CLI runs, --jobs 2, empty temporary cache",
      goal: "≤ 20",
    },
    cached_rerun_wall_s: { unit: "s", description: "the same two runs again, unchanged, with that cache", goal: "≤ 1" },
    sweep_peak_rss_bytes: { unit: "bytes", description: "peak RSS of the process doing either (workers included)", goal: "≤ 300 MB" },
  },
  async run() {
    const [cold, warm] = await withTempCache(async (dir) => [await cliRuns(dir, 2, PAPER), await cliRuns(dir, 2, PAPER)]);
    return {
      paper_full_wall_s: round3(cold.wallS),
      cached_rerun_wall_s: round3(warm.wallS),
      sweep_peak_rss_bytes: Math.max(cold.maxRssBytes, warm.maxRssBytes),
    };
  },
};
