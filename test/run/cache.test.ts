import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import type { Plan } from "../../src/dsl/plan.js";
import { cacheDirFrom, DirectoryCache, pointKey } from "../../src/run/cache.js";
import { repetitionSeeds } from "../../src/run/execute.js";
import { modelVersion } from "../../src/run/identity.js";
import { runPlan, type ProgressEvent, type RunOptions } from "../../src/run/runner.js";
import { cli } from "../helpers/cli.js";
import { planOk, ROOT, scenario } from "../helpers/fixtures.js";

const SMOKE = scenario("core-smoke.yaml");

describe("result cache", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "loopdrv-cache-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cacheIn = (d = dir) => new DirectoryCache(d, modelVersion());
  async function run(plan: Plan, opts: RunOptions = {}) {
    const events: ProgressEvent[] = [];
    const outcome = await runPlan(plan, { cache: cacheIn(), ...opts, onProgress: (e) => events.push(e) });
    const simulated = events.flatMap((e) => (e.type === "point-done" && !e.cached ? [plan.points[e.index]!.id] : []));
    return { outcome, simulated };
  }
  const entries = () => readdirSync(path.join(dir, "v1", modelVersion())).sort();

  it("takes the cache directory from LOOPDRV_CACHE_DIR, then XDG_CACHE_HOME, then HOME", () => {
    expect(cacheDirFrom({ LOOPDRV_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x", HOME: "/h" })).to.equal("/c");
    expect(cacheDirFrom({ XDG_CACHE_HOME: "/x", HOME: "/h" })).to.equal(path.join("/x", "loopdrv"));
    expect(cacheDirFrom({ HOME: "/h" })).to.equal(path.join("/h", ".cache", "loopdrv"));
    expect(cacheDirFrom({ LOOPDRV_CACHE_DIR: "", HOME: "/h" })).to.equal(path.join("/h", ".cache", "loopdrv"));
    expect(cacheDirFrom({})).to.equal(undefined);
  });

  it("serves an unchanged rerun entirely from the cache, with the same results", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    const fresh = await runPlan(plan);
    const first = await run(plan);
    const again = await run(plan);
    expect(first.simulated).to.have.length(6);
    expect(again.simulated).to.deep.equal([]);
    expect(again.outcome.cached).to.equal(6);
    expect(again.outcome.points).to.deep.equal(fresh.points);
    expect(first.outcome.points).to.deep.equal(fresh.points);
  });

  it("gives a byte-identical document from the CLI with and without the cache", async () => {
    const args = ["run", SMOKE, "--quick", "--json", "--quiet"];
    const none = await cli([...args, "--no-cache"], { LOOPDRV_CACHE_DIR: dir });
    expect(readdirSync(dir)).to.deep.equal([]);
    const cold = await cli(args, { LOOPDRV_CACHE_DIR: dir });
    expect(entries()).to.have.length(6);
    const warm = await cli([...args, "--jobs", "2"], { LOOPDRV_CACHE_DIR: dir });
    expect(cold.code).to.equal(0);
    expect(cold.stdout).to.equal(none.stdout);
    expect(warm.stdout).to.equal(none.stdout);
    // The summary says how much came from the cache (a resumed run shows what it kept).
    const shown = await cli(["run", SMOKE, "--quick"], { LOOPDRV_CACHE_DIR: dir });
    expect(shown.stderr).to.match(/core-smoke: 6 ok of 6 points \(quick\) in \d+\.\d s \(all from the cache\)\n/);
    expect((await cli(["run", SMOKE, "--quick", "--no-cache"])).stderr).not.to.include("from the cache");
  });

  it("recomputes only the points whose parameters changed after a swept value is edited", async () => {
    const text = readFileSync(path.join(ROOT, SMOKE), "utf8");
    const edited = path.join(dir, "edited.yaml");
    writeFileSync(edited, text.replace("20000/s]", "10000/s]"));
    const set = ["devices.tick.driver.placement=user"];
    const before = await run(await planOk(SMOKE, { quick: true, set }));
    expect(before.simulated).to.deep.equal(["p0", "p1", "p2"]);
    const after = await run(await planOk(edited, { quick: true, set }));
    expect(after.simulated).to.deep.equal(["p2"]);
    expect(after.outcome.points[2]!.params["devices.tick.rate"]).to.equal(10000);
    expect(after.outcome.points.slice(0, 2)).to.deep.equal(before.outcome.points.slice(0, 2));
  });

  it("keys a point by its normalised scenario, its seeds and the model version", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    const p = plan.points[0]!;
    const key = pointKey(p.scenario, repetitionSeeds(p), "v1");
    expect(key).to.match(/^[0-9a-f]{64}$/);
    expect(pointKey(structuredClone(p.scenario), repetitionSeeds(p), "v1")).to.equal(key);
    expect(pointKey(p.scenario, repetitionSeeds(p), "v2")).not.to.equal(key);
    expect(pointKey(p.scenario, [repetitionSeeds(p)[0]! + 1], "v1")).not.to.equal(key);
    expect(pointKey({ ...p.scenario, run: { ...p.scenario.run, duration: 1 } }, repetitionSeeds(p), "v1")).not.to.equal(key);
  });

  it("ignores corrupt, foreign and other-version entries, recomputes them and rewrites them", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    const fresh = await run(plan);
    const files = entries().map((f) => path.join(dir, "v1", modelVersion(), f));
    const entry = (f: string) => JSON.parse(readFileSync(f, "utf8"));
    // 0: torn write; 1: a metric changed (checksum fails); 2: another point's entry under this
    // name; 3: another model version; 4: another format; 5: not an object.
    writeFileSync(files[0]!, readFileSync(files[0]!, "utf8").slice(0, 40));
    const e1 = entry(files[1]!);
    e1.payload.metrics.cpu_utilization = 0.999;
    writeFileSync(files[1]!, JSON.stringify(e1));
    writeFileSync(files[2]!, readFileSync(files[3]!));
    writeFileSync(files[3]!, JSON.stringify({ ...entry(files[3]!), model_version: "0000000000000000" }));
    writeFileSync(files[4]!, JSON.stringify({ ...entry(files[4]!), format: "someone-else/1" }));
    writeFileSync(files[5]!, "[]");
    const again = await run(plan);
    expect(again.simulated).to.have.length(6);
    expect(again.outcome.cacheStats).to.deep.include({ hits: 0, rejected: 6, written: 6 });
    expect(again.outcome.points).to.deep.equal(fresh.outcome.points);
    const third = await run(plan);
    expect(third.simulated).to.deep.equal([]);
  });

  it("writes each point as it finishes, so a run stopped part-way continues where it stopped", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    let done = 0;
    const partial = await runPlan(plan, {
      cache: cacheIn(),
      onProgress: (e) => {
        if (e.type === "point-done") done++;
      },
      shouldStop: () => done >= 2,
    });
    expect(partial.partial).to.equal(true);
    const finished = partial.points.filter((p) => p.status === "ok").length;
    expect(finished).to.be.at.least(2).and.below(6);
    expect(entries()).to.have.length(finished);
    const resumed = await run(plan);
    expect(resumed.outcome.cached).to.equal(finished);
    expect(resumed.simulated).to.have.length(6 - finished);
    expect(resumed.outcome.points).to.deep.equal((await runPlan(plan)).points);
  });

  it("does not cache a failed point: the next run tries it again", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    const hooksModule = pathToFileURL(path.join(ROOT, "test", "fixtures", "hooks", "fail-p2.ts")).href;
    const broken = await run(plan, { hooksModule });
    expect(broken.outcome.points[2]!.status).to.equal("failed");
    expect(entries()).to.have.length(5);
    const again = await run(plan);
    expect(again.simulated).to.deep.equal(["p2"]);
    expect(again.outcome.points[2]!.status).to.equal("ok");
  });

  it("leaves no temporary files behind", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    await run(plan, { jobs: 2 });
    expect(entries().every((f) => /^[0-9a-f]{64}\.json$/.test(f))).to.equal(true);
  });

  it("removes temporaries that killed writers left, once they are old, and no others", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    const cache = cacheIn(dir);
    const sub = path.dirname(cache.fileOf("0".repeat(64)));
    mkdirSync(sub, { recursive: true });
    const old = path.join(sub, `${"a".repeat(64)}.json.123.abcdef.tmp`);
    const fresh = path.join(sub, `${"b".repeat(64)}.json.456.abcdef.tmp`);
    writeFileSync(old, "");
    writeFileSync(fresh, "{");
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(old, hourAgo, hourAgo);
    await runPlan(plan, { cache });
    expect(existsSync(old)).to.equal(false);
    expect(existsSync(fresh), "a younger one may be a write in progress").to.equal(true);
  });

  it("goes on without a cache it cannot write", async () => {
    const blocker = path.join(dir, "file");
    writeFileSync(blocker, "");
    const plan = await planOk(SMOKE, { quick: true });
    const outcome = await runPlan(plan, { cache: cacheIn(path.join(blocker, "cache")) });
    expect(outcome.points.every((p) => p.status === "ok")).to.equal(true);
    expect(outcome.cacheStats).to.deep.include({ written: 0, writeErrors: 6 });
    // ...and says so, even with --quiet: a stopped run would start over.
    const r = await cli(["run", SMOKE, "--quick", "--quiet"], { LOOPDRV_CACHE_DIR: blocker });
    expect(r.code).to.equal(0);
    expect(r.stderr).to.equal(
      `warning: the result cache ${JSON.stringify(blocker)} could not be written (6 points: ENOTDIR): these points are not kept, so a stopped or repeated run simulates them again\n` +
        "  = hint: make LOOPDRV_CACHE_DIR (or $XDG_CACHE_HOME, $HOME) a directory you can write to, or run with --no-cache\n",
    );
  });
});

describe("model version", () => {
  it("hashes the model, the kernel, normalisation, presets and the point computation, not the rest of the runner", async () => {
    const { modelSources } = await import("../../src/run/identity.js");
    const files = modelSources();
    for (const f of ["src/sim/kernel.ts", "src/model/cpu/cpu.ts", "src/dsl/normalise.ts", "src/presets/machines/hp-zx2000.yaml", "src/run/point.ts", "src/run/execute.ts", "src/run/identity.ts", "src/run/series-key.ts"]) {
      expect(files, f).to.include(f);
    }
    for (const f of ["src/run/runner.ts", "src/run/pool.ts", "src/run/cache.ts", "src/run/results.ts", "src/report/plain.ts", "cli/app.ts"]) {
      expect(files, f).to.not.include(f);
    }
    // Every source the point computation imports from src/run is hashed.
    const { readFileSync } = await import("node:fs");
    for (const f of files.filter((x) => x.startsWith("src/run/"))) {
      for (const m of readFileSync(path.join(ROOT, f), "utf8").matchAll(/from "\.\/([\w-]+)\.js"/g)) expect(files, `${f} imports ${m[1]}`).to.include(`src/run/${m[1]}.ts`);
    }
  });
});
