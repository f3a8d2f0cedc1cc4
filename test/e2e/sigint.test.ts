/**
 * The real CLI process, stopped by a signal part-way through a run (design §4): it finishes
 * the slice in progress, writes the finished points marked partial — whole files, nothing
 * half-written, no temporaries left — and exits 130 (SIGINT) or 143 (SIGTERM). Run again
 * with the result cache, it continues where it stopped, simulating only the points it had
 * not finished. And an output directory that goes away during a run is a clear error, with
 * the finished points kept in the cache.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { runCliProcess, type CliProcessRun } from "../helpers/cli-process.js";

/** Ten points of about a tenth of a second each: long enough to be stopped in the middle. */
const ARGS = ["run", "scenarios/gige-kernel.yaml", "--set", "run.duration=250ms", "--set", "run.warmup=20ms", "--jobs", "1"];

type Run = CliProcessRun;

/** The CLI as a child; `onStderr` sees stderr so far and may act on the child (signal it, move its output). */
function runCli(args: string[], env: Record<string, string>, onStderr?: (text: string, child: ChildProcess) => void): Promise<Run> {
  return runCliProcess(args, { env, ...(onStderr ? { onStderr } : {}) });
}

const finishedLines = (stderr: string) => [...stderr.matchAll(/^\[\s*(\d+)\/10\] (p\d) .* ok /gm)].map((m) => m[2]!);

interface Stopped {
  run: Run;
  out: string;
  env: Record<string, string>;
  /** What the stopped run left in `out` (read at once: a rerun replaces it). */
  files: Record<string, string>;
}

/** Start the CLI with `--out`, and act on the child once `after` points have finished. */
function stopAfter(tmp: string, after: number, act: (child: ChildProcess, out: string) => void): Promise<Stopped> {
  const env = { LOOPDRV_CACHE_DIR: path.join(tmp, "cache"), CI: "1" };
  const out = path.join(tmp, "out");
  let done = false;
  return runCli([...ARGS, "--out", out], env, (text, child) => {
    if (!done && finishedLines(text).length >= after) {
      done = true;
      act(child, out);
    }
  }).then((run) => {
    const files: Record<string, string> = {};
    if (existsSync(out) && statSync(out).isDirectory()) for (const f of readdirSync(out)) files[f] = readFileSync(path.join(out, f), "latin1");
    return { run, out, env, files };
  });
}

describe("a real run stopped by a signal", function () {
  this.timeout(120_000);
  const tmps: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(tmpdir(), "loopdrv-sigint-"));
    tmps.push(d);
    return d;
  };
  let sigint: Stopped;
  let sigterm: Stopped;
  let swapped: Stopped;
  /** After SIGINT: the rerun with the cache. */
  let rerun: Run;
  /** After the directory went away: the rerun into another one. */
  let elsewhere: { run: Run; out: string };

  // Every run is a real process (the model version hashes the sources, and a rerun must hash
  // the same ones as the run it continues); the three stories run side by side, since the
  // processes' start-up is most of the time.
  before(async () => {
    await Promise.all([
      stopAfter(tmp(), 3, (child) => child.kill("SIGINT")).then(async (s) => {
        sigint = s;
        rerun = await runCli([...ARGS, "--out", s.out], s.env);
      }),
      stopAfter(tmp(), 3, (child) => child.kill("SIGTERM")).then((s) => (sigterm = s)),
      stopAfter(tmp(), 1, (_child, out) => {
        rmSync(out, { recursive: true, force: true });
        writeFileSync(out, "not a directory any more");
      }).then(async (s) => {
        swapped = s;
        const out = path.join(tmp(), "other");
        elsewhere = { run: await runCli([...ARGS, "--out", out], s.env), out };
      }),
    ]);
  });
  after(() => tmps.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** The points finished before the stop, checked to be whole, in order, and marked partial. */
  function checkPartial(s: Stopped, signal: string, code: number): string[] {
    expect(s.run.code, s.run.stderr).to.equal(code);
    const doc = JSON.parse(s.files["results.json"]!);
    expect(doc.partial).to.equal(true);
    const done = doc.points.filter((p: { status: string }) => p.status === "ok").map((p: { id: string }) => p.id);
    expect(done.length).to.be.within(3, 9);
    // Finished points first, in plan order; the rest not run, with no metrics.
    expect(doc.points.map((p: { status: string }) => p.status)).to.deep.equal([...done.map(() => "ok"), ...Array(10 - done.length).fill("not-run")]);
    expect(s.files["results.csv"]!.trim().split("\r\n")).to.have.length(11);
    expect(Object.keys(s.files).filter((f) => f.startsWith(".")), "no temporary file left").to.deep.equal([]);
    expect(s.run.stderr).to.include(`stopped by ${signal}`);
    return done;
  }

  /**
   * The model version hashes the model's sources: when someone edits them between a run and
   * its rerun (a developer at work while the tests run), the cache rightly serves nothing.
   */
  function sameSources(ctx: Mocha.Context, first: string, second: string): void {
    const mv = (text: string) => (JSON.parse(text) as { model_version: string }).model_version;
    if (mv(first) !== mv(second)) ctx.skip();
  }

  it("SIGINT: writes the finished points marked partial, whole, and exits 130; a rerun with the cache continues where it stopped", async function () {
    const done = checkPartial(sigint, "SIGINT", 130);
    // Again, with the cache: the finished points are not simulated again.
    expect(rerun.code, rerun.stderr).to.equal(0);
    sameSources(this, sigint.files["results.json"]!, readFileSync(path.join(sigint.out, "results.json"), "utf8"));
    const cached = [...rerun.stderr.matchAll(/^\[\s*\d+\/10\] (p\d) .*\(cached\)$/gm)].map((m) => m[1]);
    expect(cached).to.deep.equal(done);
    const whole = JSON.parse(readFileSync(path.join(sigint.out, "results.json"), "utf8"));
    expect(whole.partial).to.equal(false);
    expect(whole.points.map((p: { status: string }) => p.status)).to.deep.equal(Array(10).fill("ok"));
    // The points finished before the stop are the same, to the byte (a cached run and a fresh
    // one give the same document: test/run/cache.test.ts).
    const before = JSON.parse(sigint.files["results.json"]!);
    for (const id of done) {
      expect(JSON.stringify(whole.points.find((p: { id: string }) => p.id === id)), id).to.equal(JSON.stringify(before.points.find((p: { id: string }) => p.id === id)));
    }
  });

  it("SIGTERM: writes the finished points marked partial, whole, and exits 143", () => {
    checkPartial(sigterm, "SIGTERM", 143);
  });

  it("an output directory that goes away during the run is a clear error (exit 2), and the finished points stay in the cache", async function () {
    const r = swapped.run;
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/error: cannot write the results into ".*out": ENOTDIR \(the path is no longer a directory\) \[out-dir\]/);
    expect(r.stderr).to.include("the finished points are in the result cache");
    expect(r.stderr).not.to.match(/\n\s+at /); // no stack trace: not a bug
    expect(readFileSync(swapped.out, "utf8")).to.equal("not a directory any more");
    // Into another directory: every point from the cache.
    expect(elsewhere.run.code, elsewhere.run.stderr).to.equal(0);
    const cacheDir = path.join(swapped.env.LOOPDRV_CACHE_DIR!, "v1");
    const versions = readdirSync(cacheDir);
    const written = JSON.parse(readFileSync(path.join(elsewhere.out, "results.json"), "utf8")).model_version as string;
    if (versions.length !== 1 || versions[0] !== written) this.skip(); // the sources changed between the two runs
    expect([...elsewhere.run.stderr.matchAll(/\(cached\)$/gm)]).to.have.length(10);
    expect(existsSync(path.join(elsewhere.out, "results.json"))).to.equal(true);
  });
});
