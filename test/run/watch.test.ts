/**
 * The watch loop as a library (src/run/watch.ts): files watched through editors' ways of
 * saving, only changed points simulated again, broken files reported without ending the
 * session, a run cancelled by a newer save, the worker pool kept across reruns, and the
 * document of a rerun identical to a fresh run's.
 */
import { readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { DEVICES } from "../../src/model/registry.js";
import type { CachedPoint, ResultCache } from "../../src/run/cache.js";
import { buildResults, resultsJson } from "../../src/run/results.js";
import { evaluateExpectations } from "../../src/run/expect.js";
import { runPlan, type ProgressEvent } from "../../src/run/runner.js";
import { FileWatcher, SessionCache, watchScenario, type FileChange, type WatchEvent, type WatchOptions } from "../../src/run/watch.js";
import { TmpDir } from "../helpers/tmp.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const SMOKE = readFileSync(packagePath("scenarios", "core-smoke.yaml"), "utf8");
/** core-smoke, kernel placement only: three points, one per tick rate, a few ms each with quick. */
const SET = ["devices.tick.driver.placement=kernel"];

describe("watching files (FileWatcher)", function () {
  this.timeout(10_000);
  let tmp: TmpDir;
  let changes: FileChange[];
  let w: FileWatcher | undefined;
  beforeEach(() => {
    tmp = new TmpDir();
    changes = [];
  });
  afterEach(() => {
    w?.close();
    tmp.remove();
  });
  const start = async (files: string[], opts: ConstructorParameters<typeof FileWatcher>[1] = {}) => {
    w = new FileWatcher((c) => changes.push(c), { debounceMs: 20, pollMs: 50, ...opts });
    await w.watch(files);
  };

  it("reports a file written in place", async () => {
    const f = tmp.write("a: 1\n", "s.yaml");
    await start([f]);
    writeFileSync(f, "a: 2\n");
    await until("the change", () => changes.length === 1);
    expect(changes[0]!.files).to.deep.equal([f]);
    expect(changes[0]!.savedAt).to.be.closeTo(Date.now(), 2000);
  });

  it("reports a save by writing a temporary file and renaming it over the original (vim, VS Code, JetBrains)", async () => {
    const f = tmp.write("a: 1\n", "s.yaml");
    await start([f], { pollMs: 0 });
    const t = path.join(tmp.dir, ".s.yaml.swp");
    writeFileSync(t, "a: 2\n");
    renameSync(t, f);
    await until("the change", () => changes.length === 1);
    // And the next save of the replaced file is seen too (a watch on the old inode would not).
    writeFileSync(t, "a: 3\n");
    renameSync(t, f);
    await until("the second change", () => changes.length === 2);
  });

  it("reports a file that was deleted and written again once, when it is back", async () => {
    const f = tmp.write("a: 1\n", "s.yaml");
    await start([f]);
    rmSync(f);
    await sleep(5);
    writeFileSync(f, "a: 2\n");
    await until("the change", () => changes.length >= 1);
    await sleep(150);
    expect(changes).to.have.length(1);
    expect(changes[0]!.removed).to.deep.equal([]);
  });

  it("reports a file deleted and not put back as removed (the status line then says so, not 'saved')", async () => {
    const f = tmp.write("a: 1\n", "s.yaml");
    await start([f]);
    rmSync(f);
    await until("the change", () => changes.length === 1);
    expect(changes[0]!.files).to.deep.equal([f]);
    expect(changes[0]!.removed).to.deep.equal([f]);
    writeFileSync(f, "a: 2\n");
    await until("the file back", () => changes.length === 2);
    expect(changes[1]!.removed).to.deep.equal([]);
  });

  it("runs nothing for a touch or a save that leaves the content as it was", async () => {
    const f = tmp.write("a: 1\n", "s.yaml");
    await start([f]);
    const later = new Date(Date.now() + 5000);
    utimesSync(f, later, later);
    writeFileSync(f, "a: 1\n");
    await sleep(300);
    expect(changes).to.deep.equal([]);
  });

  it("makes one change of a burst of writes", async () => {
    const f = tmp.write("a: 1\n", "s.yaml");
    await start([f], { debounceMs: 60 });
    for (let i = 2; i < 8; i++) {
      writeFileSync(f, `a: ${i}\n`);
      await sleep(5);
    }
    await until("the change", () => changes.length >= 1);
    await sleep(200);
    expect(changes).to.have.length(1);
  });

  it("still sees changes by polling where fs.watch says nothing", async () => {
    const f = tmp.write("a: 1\n", "s.yaml");
    await start([f], { fsEvents: false });
    writeFileSync(f, "a: 22\n");
    await until("the change", () => changes.length === 1);
  });

  it("ignores other files in the same directory, and follows the set it is given", async () => {
    const a = tmp.write("a: 1\n", "a.yaml");
    const b = tmp.write("b: 1\n", "b.yaml");
    await start([a]);
    writeFileSync(b, "b: 2\n");
    await sleep(200);
    expect(changes).to.deep.equal([]);
    await w!.watch([a, b]);
    writeFileSync(b, "b: 3\n");
    await until("the change", () => changes.length === 1);
    expect(changes[0]!.files).to.deep.equal([b]);
  });
});

describe("the session cache", () => {
  const point = (status: CachedPoint["status"]): CachedPoint => ({ status, metrics: { x: 1 }, events: 10, simSeconds: 1 });

  it("keeps results in memory when there is no persistent cache (--no-cache)", async () => {
    const c = new SessionCache(undefined, "v1");
    expect(await c.get("k")).to.equal(undefined);
    await c.put("k", point("ok"));
    await c.put("f", point("failed"));
    expect(await c.get("k")).to.deep.equal(point("ok"));
    expect(await c.get("f")).to.equal(undefined);
    expect(c.modelVersion).to.equal("v1");
  });

  it("reads through to the persistent cache once, and writes through to it", async () => {
    const store = new Map<string, CachedPoint>([["old", point("ok")]]);
    let reads = 0;
    const inner: ResultCache = {
      modelVersion: "v2",
      stats: { hits: 0, misses: 0, rejected: 0, written: 0, writeErrors: 0 },
      async get(k) {
        reads++;
        return store.get(k);
      },
      async put(k, v) {
        store.set(k, v);
      },
    };
    const c = new SessionCache(inner);
    expect(c.modelVersion).to.equal("v2");
    await c.get("old");
    await c.get("old");
    expect(reads).to.equal(1);
    await c.put("new", point("crashed"));
    expect(store.has("new")).to.equal(true);
  });
});

describe("the watch loop", function () {
  this.timeout(60_000);
  let tmp: TmpDir;
  beforeEach(() => (tmp = new TmpDir()));
  afterEach(() => tmp.remove());

  /** Start a watch with a recording reporter; `quit()` ends it. */
  function watchOf(file: string, extra: Partial<WatchOptions> = {}) {
    const events: WatchEvent[] = [];
    const progress: ProgressEvent[] = [];
    let quit = false;
    const done = watchScenario({
      file,
      set: SET,
      quick: true,
      jobs: 1,
      version: "0.0.0-test",
      cwd: tmp.dir,
      reporter: { onWatch: (e) => events.push(e), onProgress: (e) => progress.push(e) },
      shouldQuit: () => quit,
      watcher: { debounceMs: 20, pollMs: 50 },
      ...extra,
    });
    const ends = () => events.filter((e): e is Extract<WatchEvent, { type: "run-end" }> => e.type === "run-end");
    const complete = () => ends().filter((e) => !e.cancelled);
    return {
      events,
      progress,
      done,
      ends,
      complete,
      quit: () => {
        quit = true;
      },
      untilRuns: (n: number) => until(`${n} complete runs`, () => complete().length >= n),
    };
  }

  it("simulates only the points an edit changes, shows a broken file's problems and carries on when it is fixed", async () => {
    const file = tmp.write(SMOKE, "smoke.yaml");
    const w = watchOf(file);
    await w.untilRuns(1);
    expect(w.complete()[0]!.outcome).to.include({ simulated: 3, cached: 0 });
    expect(w.complete()[0]!.savedAt).to.equal(undefined);

    // One swept value changes: one point is simulated, the other two come from the session.
    writeFileSync(file, SMOKE.replace("20000/s]", "10000/s]"));
    await w.untilRuns(2);
    const second = w.complete()[1]!;
    expect(second.outcome).to.include({ simulated: 1, cached: 2 });
    expect(second.doc!.points.map((p) => p.params["devices.tick.rate"])).to.deep.equal([1000, 5000, 10000]);
    expect(second.savedAt).to.be.a("number");
    const load2 = w.events.filter((e) => e.type === "load")[1]!;
    expect(load2).to.deep.include({ changed: [file] });

    // Broken: diagnostics, no run, the watch goes on.
    writeFileSync(file, SMOKE.replace("isr_cost: 2000 cycles", "isr_cost: 2000 cycels"));
    await until("the invalid event", () => w.events.some((e) => e.type === "invalid"));
    const invalid = w.events.find((e): e is Extract<WatchEvent, { type: "invalid" }> => e.type === "invalid")!;
    expect(invalid.diagnostics.map((d) => d.severity)).to.include("error");
    expect(invalid.watched).to.deep.equal([file]);

    // Fixed back to the first content: every point is known.
    writeFileSync(file, SMOKE);
    await w.untilRuns(3);
    expect(w.complete()[2]!.outcome).to.include({ simulated: 0, cached: 3 });

    w.quit();
    const end = await w.done;
    expect(end).to.include({ runs: 3, attempts: 4 });
    expect(resultsJson(end.lastDoc!)).to.equal(resultsJson(w.complete()[0]!.doc!));
  });

  it("simulates nothing again when only the scenario's name, description or comments change", async () => {
    const file = tmp.write(SMOKE, "smoke.yaml");
    const w = watchOf(file);
    await w.untilRuns(1);
    writeFileSync(file, SMOKE.replace("name: core-smoke", "name: my-smoke").replace(/^description: .*$/m, "description: renamed") + "# a comment\n");
    await w.untilRuns(2);
    expect(w.complete()[1]!.outcome).to.include({ simulated: 0, cached: 3 });
    expect(w.complete()[1]!.doc!.scenario.name).to.equal("my-smoke");
    w.quit();
    await w.done;
  });

  it("writes a rerun's document exactly as a fresh run of the edited file would", async () => {
    const file = tmp.write(SMOKE, "smoke.yaml");
    const w = watchOf(file);
    await w.untilRuns(1);
    const edited = SMOKE.replace("5000/s,", "7000/s,");
    writeFileSync(file, edited);
    await w.untilRuns(2);
    w.quit();
    await w.done;
    const loaded = await loadScenario(file, { set: SET });
    const plan = planScenario(loaded.scenario!, { quick: true }).plan!;
    const outcome = await runPlan(plan);
    const built = buildResults({ merged: loaded.scenario!, plan, points: outcome.points, partial: outcome.partial, version: "0.0.0-test", cwd: tmp.dir });
    expect(resultsJson(w.complete()[1]!.doc!)).to.equal(resultsJson({ ...built, expect: evaluateExpectations(built) }));
  });

  it("watches the files a scenario extends", async () => {
    const base = tmp.write(SMOKE, "base.yaml");
    const top = tmp.write(`extends: base.yaml\nname: top\n`, "top.yaml");
    const w = watchOf(top);
    await w.untilRuns(1);
    const start = w.events.find((e): e is Extract<WatchEvent, { type: "run-start" }> => e.type === "run-start")!;
    expect(start.watched).to.deep.equal([top, base]);
    writeFileSync(base, SMOKE.replace("1000/s,", "2000/s,"));
    await w.untilRuns(2);
    expect(w.complete()[1]!.outcome).to.include({ simulated: 1, cached: 2 });
    expect(w.events.filter((e) => e.type === "load")[1]).to.deep.include({ changed: [base] });
    w.quit();
    await w.done;
  });

  it("cancels a run when a newer save arrives, and keeps the points it finished", async () => {
    const file = tmp.write(SMOKE.replace("duration: 200 ms", "duration: 30 s"), "slow.yaml");
    const w = watchOf(file, { quick: false });
    await until("the first slice", () => w.progress.some((e) => e.type === "slice"));
    writeFileSync(file, SMOKE);
    await w.untilRuns(1);
    const ends = w.ends();
    expect(ends[0]!.cancelled).to.equal("change");
    expect(ends[0]!.doc).to.equal(undefined);
    expect(w.complete()[0]!.outcome).to.include({ simulated: 3, partial: false });
    w.quit();
    await w.done;
  });

  it("ends a run in progress when asked to quit, without writing outputs", async () => {
    const file = tmp.write(SMOKE.replace("duration: 200 ms", "duration: 30 s"), "slow.yaml");
    let wrote = 0;
    const w = watchOf(file, { quick: false, onResults: async () => ((wrote++), { written: [] }) });
    await until("the first slice", () => w.progress.some((e) => e.type === "slice"));
    w.quit();
    const end = await w.done;
    expect(end.runs).to.equal(0);
    expect(w.ends().map((e) => e.cancelled)).to.deep.equal(["quit"]);
    expect(wrote).to.equal(0);
  });

  it("keeps its worker threads across reruns (jobs > 1), and calls onResults after each complete run", async () => {
    const file = tmp.write(SMOKE, "smoke.yaml");
    const written: number[] = [];
    const w = watchOf(file, { jobs: 2, onResults: async (doc) => (written.push(doc.points.length), { written: ["out/results.json"] }) });
    await w.untilRuns(1);
    writeFileSync(file, SMOKE.replace("1000/s,", "1500/s,").replace("20000/s]", "15000/s]"));
    await w.untilRuns(2);
    expect(w.complete()[1]!.outcome).to.include({ simulated: 2, cached: 1 });
    expect(w.complete()[1]!.written).to.deep.equal(["out/results.json"]);
    expect(written).to.deep.equal([3, 3]);
    w.quit();
    await w.done;
  });

  it("says which models are missing instead of running a scenario loopdrv cannot emulate", async () => {
    // Every shipped device type is emulated now: take one model away for the test.
    const saved = DEVICES.timer!;
    delete DEVICES.timer;
    try {
      const file = tmp.write(SMOKE, "smoke.yaml");
      const w = watchOf(file);
      await until("the invalid event", () => w.events.some((e) => e.type === "invalid"));
      w.quit();
      await w.done;
      const invalid = w.events.find((e): e is Extract<WatchEvent, { type: "invalid" }> => e.type === "invalid")!;
      expect(invalid.diagnostics.map((d) => d.code)).to.deep.equal(["not-emulated"]);
      expect(invalid.diagnostics[0]!.message).to.include('device type "timer"');
    } finally {
      DEVICES.timer = saved;
    }
  });
});
