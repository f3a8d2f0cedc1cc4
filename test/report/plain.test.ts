import path from "node:path";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { memoryIo } from "../../cli/io.js";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { HEARTBEAT_MS, MAX_PROGRESS_LINES, plainReporter } from "../../src/report/plain.js";
import { runInfo } from "../../src/report/run-info.js";
import type { PointResult } from "../../src/run/runner.js";

const SMOKE = path.join("scenarios", "core-smoke.yaml");
const ESC = "\u001b[";

async function cli(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo(env);
  const code = await runCli(args, { ...io, cwd: packagePath() });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** A plain reporter fed `points` points of `slices` slices each, `sliceMs` apart on a fake clock. */
async function feed(points: number, slices: number, sliceMs: number): Promise<string[]> {
  const loaded = await loadScenario(packagePath("scenarios", "paper-fig4.yaml"));
  const plan = planScenario(loaded.scenario!, { quick: true }).plan!;
  const info = runInfo(plan);
  const work = Array.from({ length: points }, () => 1);
  let t = 0;
  const lines: string[] = [];
  const r = plainReporter({ ...info, work, points: Array.from({ length: points }, (_, i) => ({ id: `p${i}`, params: {} })) }, (s) => lines.push(...s.split("\n").slice(0, -1)), { now: () => t });
  r.onEvent({ type: "start", total: points, work: points });
  for (let i = 0; i < points; i++) {
    r.onEvent({ type: "point-start", index: i, id: `p${i}`, params: {} });
    for (let s = 1; s <= slices; s++) {
      t += sliceMs;
      r.onEvent({ type: "slice", index: i, fraction: s / slices, events: s, simSeconds: s });
    }
    const result: PointResult = { id: `p${i}`, params: {}, status: "ok", metrics: { cpu_utilization: 0.5 } };
    r.onEvent({ type: "point-done", index: i, result, events: slices, simSeconds: slices, wallMs: slices * sliceMs });
  }
  return lines;
}

describe("plain progress lines", () => {
  it("print one line per point for a short sweep", async () => {
    const lines = await feed(6, 50, 10);
    expect(lines.filter((l) => /^\[\d\/6\]/.test(l))).to.have.length(6);
    expect(lines.filter((l) => l.startsWith("  … "))).to.have.length(0);
  });

  it("stay bounded however many points there are", async () => {
    const lines = await feed(5000, 2, 10);
    expect(lines.length).to.be.at.most(MAX_PROGRESS_LINES + 1);
    expect(lines[lines.length - 1]).to.match(/^\[5000\/5000\] p4999 /);
  });

  it("stay bounded however long one point runs, with a heartbeat now and then", async () => {
    const lines = await feed(1, 100_000, 1000);
    const beats = lines.filter((l) => l.startsWith("  … "));
    expect(beats.length).to.be.greaterThan(10);
    expect(beats.length).to.be.at.most(MAX_PROGRESS_LINES);
    expect(lines.length).to.be.at.most(2 * MAX_PROGRESS_LINES + 2);
    expect(beats[0]).to.match(/^ {2}… 0\/1 points done, running p0 \d+% · \d+% of the work · ETA .+ · .+ events\/s, .+ sim s per s$/);
  });

  it("print no heartbeat more often than every HEARTBEAT_MS", async () => {
    const lines = await feed(1, 1000, HEARTBEAT_MS / 100);
    expect(lines.filter((l) => l.startsWith("  … ")).length).to.be.at.most(10);
  });

  it("carry no escape codes with NO_COLOR, and end with the summary", async () => {
    const r = await cli(["run", SMOKE, "--quick", "--no-cache"], { NO_COLOR: "1", FORCE_COLOR: "1" });
    expect(r.code).to.equal(0);
    expect(r.stderr).not.to.include(ESC);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).to.equal("core-smoke: 6 points (quick) · comparing placement: kernel vs user · x: tick rate 1000/s … 20000/s (3 values)");
    expect(lines.filter((l) => /^\[\d\/6\] p\d placement=(kernel|user) tick rate=\d+\/s {2}ok {2}CPU \d+\.\d%/.test(l))).to.have.length(6);
    expect(lines.slice(-5)).to.deep.equal([
      "core-smoke: 6 ok of 6 points (quick) in " + /in (\d+\.\d) s/.exec(r.stderr)![1] + " s",
      "key results, against tick rate:",
      lines[lines.length - 3],
      lines[lines.length - 2],
      "(no files written: add --out DIR or --json)",
    ]);
    expect(lines[lines.length - 3]).to.match(/^ {2}kernel {2}CPU \d+\.\d% at 1000\/s … \d+\.\d% at 20000\/s$/);
    expect(lines[lines.length - 2]).to.match(/^ {2}user {4}CPU \d+\.\d% at 1000\/s … \d+\.\d% at 20000\/s$/);
  });

  it("colour the status words when FORCE_COLOR asks for colour on a pipe", async () => {
    const r = await cli(["run", SMOKE, "--quick", "--no-cache"], { FORCE_COLOR: "1" });
    expect(r.stderr).to.include(`${ESC}32mok${ESC}39m`);
  });

  it("go to stderr, so --json keeps stdout to the results document alone", async () => {
    const r = await cli(["run", SMOKE, "--quick", "--json", "--no-cache"]);
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.stdout).format).to.equal("loopdrv-results/1");
    expect(r.stderr).to.match(/^core-smoke: 6 points/);
    expect(r.stderr).not.to.include("no files written");
  });

  it("are silent with --quiet", async () => {
    const r = await cli(["run", SMOKE, "--quick", "--quiet", "--no-cache"]);
    expect(r.code).to.equal(0);
    expect(r.stderr).to.equal("");
    expect(r.stdout).to.equal("");
  });
});
