/**
 * `run --watch` in a real pseudo-terminal (util-linux `script`), as a person uses it: a
 * temporary copy of gige-user.yaml (and the gige-kernel.yaml it extends) with --quick;
 * one swept value edited → only that point simulated again, the others from the cache, the
 * previous curves faint; the file broken → its diagnostics, the process alive; fixed →
 * rerun; `q` → exit 0. A temporary cache (LOOPDRV_CACHE_DIR); CI removed from the child's
 * environment so the dashboard is drawn everywhere.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { packagePath } from "../../src/dsl/package-root.js";

const ROOT = packagePath();
// eslint-disable-next-line no-control-regex
const CSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface PtyRun {
  code: number;
  raw: string;
  text: string;
}

function runInPty(args: string[], o: { env: Record<string, string>; onOutput: (text: string, type: (keys: string) => void) => void; timeoutMs?: number }): Promise<PtyRun> {
  const env: Record<string, string | undefined> = { ...process.env, TERM: "xterm-256color", ...o.env };
  for (const k of ["CI", "CONTINUOUS_INTEGRATION", "NO_COLOR", "FORCE_COLOR"]) delete env[k];
  const cmd = [process.execPath, "--import", "tsx", path.join(ROOT, "cli", "main.ts"), ...args].map(quote).join(" ");
  const child = spawn("script", ["-qfec", `stty cols 100 rows 40; exec ${cmd}`, "/dev/null"], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
  let raw = "";
  const type = (keys: string) => child.stdin.write(keys);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out; output so far:\n${raw.replace(CSI, "").slice(-4000)}`));
    }, o.timeoutMs ?? 90_000);
    child.stdout.on("data", (d: Buffer) => {
      raw += d.toString("utf8");
      o.onOutput(raw.replace(CSI, ""), type);
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

const LOADS = ["100 Mb/s", "200 Mb/s", "300 Mb/s", "400 Mb/s", "500 Mb/s", "600 Mb/s", "700 Mb/s", "800 Mb/s", "900 Mb/s", "1000 Mb/s"];
const sweep = (loads: string[]) => `\nsweep:\n  matrix:\n    workload.offered_load: [${loads.join(", ")}]\n`;

describe("run --watch in a real terminal", function () {
  this.timeout(120_000);
  let dir: string;

  before(() => {
    const r = spawnSync("script", ["--version"]);
    if (r.error) throw new Error("these tests need util-linux `script` to make a pseudo-terminal (apt-get install bsdutils)");
  });
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "loopdrv-watch-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reruns only the edited point over the previous curves, survives a broken file, and quits on q", async () => {
    const user = readFileSync(packagePath("scenarios", "gige-user.yaml"), "utf8");
    writeFileSync(path.join(dir, "gige-kernel.yaml"), readFileSync(packagePath("scenarios", "gige-kernel.yaml"), "utf8"));
    const file = path.join(dir, "gige-user.yaml");
    writeFileSync(file, user + sweep(LOADS));
    const edited = LOADS.map((l) => (l === "900 Mb/s" ? "850 Mb/s" : l));
    const fixed = LOADS.map((l) => (l === "900 Mb/s" ? "860 Mb/s" : l));

    const steps: { when: RegExp; then: (type: (k: string) => void) => void }[] = [
      { when: /run 1 · up to date: 10 points simulated/, then: () => writeFileSync(file, user + sweep(edited)) },
      {
        when: /run 2 · gige-user\.yaml saved · up to date in [\d.]+ s · 1 simulated, 9 cached/,
        then: () => writeFileSync(file, user.replace("placement: user", "placement: usr") + sweep(edited)),
      },
      { when: /not run: 1 error below — fix and save \(the chart shows run 2\)/, then: () => writeFileSync(file, user + sweep(fixed)) },
      { when: /run 3 · gige-user\.yaml saved · up to date in [\d.]+ s · 1 simulated, 9 cached/, then: (type) => type("q") },
    ];
    let step = 0;
    const marks: number[] = [];
    const r = await runInPty(["run", "--watch", file, "--quick"], {
      env: { LOOPDRV_CACHE_DIR: path.join(dir, "cache") },
      onOutput: (text, type) => {
        // Each step looks only at what came after the previous one.
        while (step < steps.length && steps[step]!.when.test(text.slice(marks[step] ?? 0))) {
          marks[step + 1] = text.length;
          steps[step]!.then(type);
          step++;
        }
      },
    });
    expect(step, `steps done: ${step}\n${r.text.slice(-3000)}`).to.equal(steps.length);
    expect(r.code, r.text.slice(-2000)).to.equal(0);

    const t = r.text;
    expect(t).to.include(`watching ${file} (extends gige-kernel.yaml)`);
    expect(t).to.match(/p8 +850 Mb\/s +\d[\d.]* Mb\/s/);
    expect(t).to.match(/p7 +800 Mb\/s .* cached/);
    // The previous run, faint (grey) under the new curves, named in the legend.
    expect(r.raw).to.include("\u001b[90m⠒⠒");
    expect(t).to.include("⠒⠒ run 1, before the save");
    // The broken file's diagnostic, with its line.
    expect(t).to.include(`gige-user.yaml:18:18: error: "usr" is not one of "kernel", "user"`);
    expect(t).to.include(`= hint: did you mean "user"?`);
    expect(t).to.match(/p8 +860 Mb\/s +\d[\d.]* Mb\/s/);
    expect(t.trimEnd().endsWith("stopped watching (q)"), t.slice(-500)).to.equal(true);
    // Redrawn in place: the title stays on screen once per frame, never a cleared screen.
    expect(r.raw).not.to.include("\u001b[2J");
  });

  it("prints plain lines per rerun without a terminal dashboard (TERM=dumb), and stops on Ctrl-C with 130", async () => {
    const smoke = readFileSync(packagePath("scenarios", "core-smoke.yaml"), "utf8");
    const file = path.join(dir, "smoke.yaml");
    writeFileSync(file, smoke);
    let edited = false;
    let stopped = false;
    const r = await runInPty(["run", "--watch", file, "--quick", "--jobs", "1"], {
      env: { LOOPDRV_CACHE_DIR: path.join(dir, "cache"), TERM: "dumb" },
      onOutput: (text, type) => {
        if (!edited && /core-smoke: 6 ok of 6 points \(quick\)/.test(text)) {
          edited = true;
          writeFileSync(file, smoke.replace("20000/s]", "10000/s]"));
        }
        if (!stopped && /s from save to results; 2 simulated, 4 from the cache/.test(text)) {
          stopped = true;
          type("\u0003");
        }
      },
    });
    expect(stopped, r.text).to.equal(true);
    expect(r.code, r.text).to.equal(130);
    expect(r.text).to.include(`watching ${file} for changes (Ctrl-C to stop)`);
    expect(r.text).to.include(`${file} changed: running ${file} again`);
    expect(r.text).to.match(/^\[6\/6\] /m);
    expect(r.text).to.include("(cached)");
    expect(r.text).not.to.include("(no files written");
    expect(r.text).to.include("stopped watching (SIGINT)");
  });
});
