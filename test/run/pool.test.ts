import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import { runInfo } from "../../src/report/run-info.js";
import type { Plan } from "../../src/dsl/plan.js";
import { costliestFirst } from "../../src/run/cost.js";
import { PointPool } from "../../src/run/pool.js";
import { runPlan, type ProgressEvent, type RunOptions } from "../../src/run/runner.js";
import { cli } from "../helpers/cli.js";
import { planOk, ROOT, scenario } from "../helpers/fixtures.js";

const SMOKE = scenario("core-smoke.yaml");
const hooks = (name: string) => pathToFileURL(path.join(ROOT, "test", "fixtures", "hooks", name)).href;

async function run(plan: Plan, opts: RunOptions = {}) {
  const events: ProgressEvent[] = [];
  const outcome = await runPlan(plan, { ...opts, onProgress: (e) => events.push(e) });
  return { outcome, events };
}

describe("parallel points (worker threads)", function () {
  this.timeout(120_000);

  it("gives a byte-identical document with 1, 2 and 4 jobs", async () => {
    const docs = [];
    for (const jobs of ["1", "2", "4"]) {
      const r = await cli(["run", SMOKE, "--quick", "--json", "--quiet", "--no-cache", "--jobs", jobs]);
      expect(r.code, r.stderr).to.equal(0);
      docs.push(r.stdout);
    }
    expect(docs[1]).to.equal(docs[0]);
    expect(docs[2]).to.equal(docs[0]);
    expect(JSON.parse(docs[0]!).points).to.have.length(6);
  });

  it("reports a point whose worker dies as failed with the reason, and finishes the others", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    const clean = await run(plan, { jobs: 1 });
    const broken = await run(plan, { jobs: 2, hooksModule: hooks("crash-worker.ts") });
    const byId = Object.fromEntries(broken.outcome.points.map((p) => [p.id, p]));
    expect(byId.p1!.status).to.equal("failed");
    expect(byId.p1!.error).to.match(/^internal error \(a bug in loopdrv\): the worker thread simulating this point crashed: deliberate uncaught error in p1/);
    expect(byId.p3!.status).to.equal("failed");
    expect(byId.p3!.error).to.include("the worker thread simulating this point crashed").and.include("code: 7");
    expect(byId.p5!.status).to.equal("failed");
    expect(byId.p5!.error).to.equal("internal error (a bug in loopdrv): deliberate error while building p5");
    for (const id of ["p0", "p2", "p4"]) {
      expect(byId[id], id).to.deep.equal(clean.outcome.points.find((p) => p.id === id));
    }
    expect(broken.outcome.partial).to.equal(false);
    expect(broken.events.filter((e) => e.type === "point-done")).to.have.length(6);
  });

  it("starts the points costliest first, in that order (the pool does not reorder them)", async () => {
    // One worker thread, so the order it takes the points in is the order they start in,
    // whatever the host's load (with two, one descheduled worker lets the other run ahead).
    // Without piscina's stricterFIFO a point that finds the worker busy goes to the back of
    // the queue: 99 of these 100 started out of place, a 1 Gb/s point last.
    const plan = await planOk(scenario("paper-fig4.yaml"), { quick: true, set: ["run.duration=2ms", "run.warmup=1ms"] });
    const pool = new PointPool({ threads: 1 });
    try {
      const { events } = await run(plan, { jobs: 2, pool });
      const started = events.flatMap((e) => (e.type === "point-start" ? [e.id] : []));
      expect(started).to.deep.equal(costliestFirst(plan.points).map((p) => p.id));
    } finally {
      await pool.destroy();
    }
  });

  it("forwards each worker's progress: point-start, then slices, then point-done", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    const { events } = await run(plan, { jobs: 2 });
    expect(events[0]).to.deep.include({ type: "start", total: 6 });
    // The work announced is the points' estimated costs, as the reporters weigh them (RunInfo.work).
    expect(events[0]).to.deep.include({ work: runInfo(plan).work.reduce((a, b) => a + b, 0) });
    for (const p of plan.points) {
      const mine = events.filter((e) => e.type !== "start" && e.index === p.index);
      expect(mine[0], p.id).to.deep.include({ type: "point-start", id: p.id });
      expect(mine.at(-1), p.id).to.deep.include({ type: "point-done" });
      const slices = mine.slice(1, -1);
      expect(slices.length, p.id).to.be.greaterThan(1);
      expect(slices.every((e) => e.type === "slice"), p.id).to.equal(true);
      const fractions = slices.map((e) => (e.type === "slice" ? e.fraction : NaN));
      expect(fractions).to.deep.equal([...fractions].sort((a, b) => a - b));
      expect(fractions.at(-1)).to.equal(1);
    }
  });

  it("stops between slices when asked, marking the points not finished not-run", async () => {
    const plan = await planOk(SMOKE, { quick: true });
    let done = 0;
    const outcome = await runPlan(plan, {
      jobs: 2,
      onProgress: (e) => {
        if (e.type === "point-done") done++;
      },
      shouldStop: () => done >= 1,
    });
    expect(outcome.partial).to.equal(true);
    const statuses = outcome.points.map((p) => p.status);
    expect(statuses.filter((s) => s === "ok").length).to.be.at.least(1);
    expect(statuses).to.include("not-run");
    for (const p of outcome.points.filter((x) => x.status === "not-run")) expect(p.metrics).to.deep.equal({});
  });

  it("refuses a --jobs value that is not a whole number of at least 1, as a usage error", async () => {
    for (const bad of ["0", "-2", "1.5", "two", ""]) {
      const r = await cli(["run", SMOKE, "--quick", "--jobs", bad]);
      expect(r.code, bad).to.equal(2);
      expect(r.stderr, bad).to.include("--jobs");
      expect(r.stderr, bad).to.include("Expected a whole number of jobs, 1 or more.");
      expect(r.stderr).not.to.match(/\n\s+at /);
    }
  });
});
