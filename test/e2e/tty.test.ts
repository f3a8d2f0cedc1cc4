/**
 * The real CLI in a real pseudo-terminal (util-linux `script`), as a person runs it: the
 * dashboard, its frames, its summary, its exit code, and `q`. CI is removed from the
 * child's environment (under CI loopdrv and Ink print plain output), so these tests run
 * the dashboard everywhere, CI included; they are never skipped.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { packagePath } from "../../src/dsl/package-root.js";

const ROOT = packagePath();
// eslint-disable-next-line no-control-regex
const CSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;
// eslint-disable-next-line no-control-regex
const COLOUR = /\u001b\[(?:3[0-9]|9[0-7]|4[0-9]|10[0-7])(?:;[0-9]+)*m/;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface PtyRun {
  code: number;
  /** Everything the terminal received, escape codes included. */
  raw: string;
  /** The same without escape codes. */
  text: string;
}

/**
 * Run `loopdrv ARGS` in a pseudo-terminal of `cols` × `rows`. `onOutput` sees the output so
 * far and may type into the terminal.
 */
function runInPty(args: string[], o: { cols?: number; rows?: number; env?: Record<string, string>; onOutput?: (text: string, type: (keys: string) => void) => void; timeoutMs?: number } = {}): Promise<PtyRun> {
  const env: Record<string, string | undefined> = { ...process.env, TERM: "xterm-256color", ...o.env };
  for (const k of ["CI", "CONTINUOUS_INTEGRATION", "NO_COLOR", "FORCE_COLOR"]) if (!o.env?.[k]) delete env[k];
  const cmd = [process.execPath, "--import", "tsx", path.join(ROOT, "cli", "main.ts"), ...args].map(quote).join(" ");
  const child = spawn("script", ["-qfec", `stty cols ${o.cols ?? 100} rows ${o.rows ?? 40}; exec ${cmd}`, "/dev/null"], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
  let raw = "";
  const type = (keys: string) => child.stdin.write(keys);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out; output so far:\n${raw.replace(CSI, "")}`));
    }, o.timeoutMs ?? 60_000);
    child.stdout.on("data", (d: Buffer) => {
      raw += d.toString("utf8");
      o.onOutput?.(raw.replace(CSI, ""), type);
    });
    child.stderr.on("data", (d: Buffer) => (raw += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ code: code ?? -1, raw, text: raw.replace(CSI, "") });
    });
  });
}

/** The completed counts the progress line showed, in the order the frames came. */
function completedCounts(text: string, total: number): number[] {
  return [...text.matchAll(new RegExp(`(\\d+)/${total} points`, "g"))].map((m) => Number(m[1]));
}

describe("the dashboard in a real terminal", function () {
  this.timeout(120_000);

  before(() => {
    const r = spawnSync("script", ["--version"]);
    if (r.error) throw new Error("these tests need util-linux `script` to make a pseudo-terminal (apt-get install bsdutils)");
  });

  it("shows frames with rising completed counts, then the summary, and exits 0", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "loopdrv-tty-"));
    // Simulated long enough (over a second of wall time) that the speed line, shown after
    // half a second of run, appears however fast the simulation has become.
    const r = await runInPty(["run", "scenarios/core-smoke.yaml", "--no-cache", "--jobs", "1", "--set", "run.duration=20s", "--out", out]);
    expect(r.code, r.text).to.equal(0);
    const counts = completedCounts(r.text, 6);
    expect(new Set(counts).size, `counts seen: ${counts.join(",")}`).to.be.at.least(2);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).to.be.at.least(counts[i - 1]!);
    expect(r.text).to.include("loopdrv · core-smoke");
    expect(r.text).to.match(/speed [\d.]+[kMG]? events\/s · [\d.]+ simulated s per wall s/);
    expect(r.text).to.include("CPU utilisation vs tick rate");
    expect(r.text).to.include("core-smoke: 6 ok of 6 points in");
    expect(r.text).to.include(`wrote ${path.relative(ROOT, path.join(out, "results.json"))}`);
    // Finished output is never redrawn: no screen clears, the header printed once.
    expect(r.raw).not.to.include("\u001b[2J");
    expect(r.text.split("loopdrv · core-smoke").length - 1).to.equal(1);
    expect(r.raw).to.match(COLOUR);
  });

  it("stops on q, writes the finished points marked partial, and exits 130", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "loopdrv-tty-"));
    let typed = false;
    const r = await runInPty(["run", "scenarios/core-smoke.yaml", "--no-cache", "--jobs", "1", "--set", "run.duration=40s", "--out", out], {
      onOutput: (text, type) => {
        if (!typed && /[1-5]\/6 points/.test(text)) {
          typed = true;
          type("q");
        }
      },
    });
    expect(typed, r.text).to.equal(true);
    expect(r.code, r.text).to.equal(130);
    const doc = JSON.parse(readFileSync(path.join(out, "results.json"), "utf8"));
    expect(doc.partial).to.equal(true);
    const statuses = doc.points.map((p: { status: string }) => p.status);
    expect(statuses.filter((s: string) => s === "ok").length).to.be.at.least(1);
    expect(statuses).to.include("not-run");
    expect(r.text).to.match(/core-smoke: \d ok, \d not run \(stopped by q\) of 6 points in [\d.]+ s — partial results/);
  });

  it("prints no colour with NO_COLOR", async () => {
    const r = await runInPty(["run", "scenarios/core-smoke.yaml", "--quick", "--no-cache"], { env: { NO_COLOR: "1" } });
    expect(r.code).to.equal(0);
    expect(r.text).to.include("core-smoke: 6 ok of 6 points (quick)");
    expect(r.raw).not.to.match(COLOUR);
  });

  it("prints plain lines, not the dashboard, when CI is set", async () => {
    const r = await runInPty(["run", "scenarios/core-smoke.yaml", "--quick", "--no-cache"], { env: { CI: "true" } });
    expect(r.code).to.equal(0);
    expect(r.text).to.match(/^core-smoke: 6 points \(quick\)/m);
    expect(r.text).to.match(/^\[6\/6\] /m);
    expect(r.text).not.to.include("speed ");
  });
});
