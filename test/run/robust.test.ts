/**
 * A runner that loses nothing: a point whose model breaks an invariant fails alone (the
 * sweep completes, exit 3); output directories that cannot take the results — not
 * writable, on a full disk — are refused before any work, or, if the disk fills during the
 * run, reported in words with no file half-replaced.
 *
 * A full disk and a read-only file system cannot be made in a test without privileges, so
 * they are stood in for by a file-system double (src/report/atomic.ts `OutputFs`) that fails
 * the way the kernel does: ENOSPC from a write, EROFS from access().
 */
import { promises as fs, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { memoryIo } from "../../cli/io.js";
import { METRICS } from "../../src/dsl/metrics.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { DEVICES, type DeviceModule } from "../../src/model/registry.js";
import { nodeFs, type OutputFs } from "../../src/report/atomic.js";
import { prepareOutDir } from "../../src/report/out-dir.js";
import { OutputWriteError, writeOutputs } from "../../src/report/outputs.js";
import { buildResults, type ResultsDocument } from "../../src/run/results.js";
import { planOk, scenario } from "../helpers/fixtures.js";
import { loadScenario } from "../../src/dsl/load.js";

const SMOKE = path.join("scenarios", "core-smoke.yaml");

async function cli(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo(env);
  const code = await runCli(args, { ...io, cwd: packagePath() });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

function errno(code: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: simulated by the test`) as NodeJS.ErrnoException;
  e.code = code;
  return e;
}

/** The real file system, except that writing to a file whose name matches `full` fails with ENOSPC. */
function fullDisk(full: RegExp): OutputFs {
  return {
    ...nodeFs,
    open: (async (file: string, flags: string) => {
      const fh = await fs.open(file, flags);
      if (!full.test(path.basename(String(file)))) return fh;
      return new Proxy(fh, {
        get: (t, k) => {
          if (k === "writeFile") return async () => Promise.reject(errno("ENOSPC"));
          const v: unknown = Reflect.get(t, k, t);
          return typeof v === "function" ? v.bind(t) : v;
        },
      });
    }) as OutputFs["open"],
  };
}

describe("a runner that loses nothing", function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(path.join(tmpdir(), "loopdrv-robust-"))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it("fails only the point whose model breaks an invariant, names it, completes the sweep and exits 3", async () => {
    const real = DEVICES.timer!;
    // The timer device at 5000/s at user level loses count of one interrupt.
    const broken: DeviceModule = {
      create(ctx, spec) {
        const c = real.create(ctx, spec);
        const rate = (spec as { rate?: number }).rate;
        if (rate !== 5000 || spec.driver.placement !== "user") return c;
        const eqs = c.conservation!.bind(c);
        return Object.assign(c, { conservation: () => eqs().map((e) => ({ ...e, issued: e.issued + 1 })) });
      },
    };
    DEVICES.timer = broken;
    try {
      const r = await cli(["run", SMOKE, "--quick", "--json", "--no-cache", "--jobs", "1"]);
      expect(r.code).to.equal(3);
      const doc = JSON.parse(r.stdout) as ResultsDocument;
      const statuses = doc.points.map((p) => `${p.params["devices.tick.driver.placement"]}@${p.params["devices.tick.rate"]}:${p.status}`);
      expect(statuses).to.deep.equal(["kernel@1000:ok", "kernel@5000:ok", "kernel@20000:ok", "user@1000:ok", "user@5000:failed", "user@20000:ok"]);
      const bad = doc.points.find((p) => p.status === "failed")!;
      expect(bad.error).to.match(/^invariant "issued = completed \+ dropped \+ in flight" violated for devices\.tick: /);
      expect(bad.metrics).to.deep.equal({});
      expect(doc.partial).to.equal(false);
      expect(r.stderr).to.include("p4 failed: invariant");
    } finally {
      DEVICES.timer = real;
    }
  });

  it("does not report a crashed point (a simulated kernel crash) as a failure: exit 0", async () => {
    const r = await cli(["run", "scenarios/gige-kernel-crash.yaml", "--quick", "--json", "--no-cache", "--jobs", "1"]);
    expect(r.code, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout) as ResultsDocument;
    expect(doc.points.map((p) => p.status)).to.deep.equal(["crashed", "crashed"]);
    expect(doc.points[0]!.error).to.match(/^kernel crash at 0\.07 s: the in-kernel driver of eth0 crashed/);
  });

  it("writes the results of a fault scenario to the schema: fault metrics, driver_fault drops, a series of 10 ms bins over the window", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(packagePath("schema", "results.schema.json"), "utf8")));
    for (const name of ["gige-user-crash", "gige-kernel-crash", "ide-user-crash"]) {
      const doc = JSON.parse(readFileSync(packagePath("test", "snapshots", `${name}.quick.json`), "utf8")) as ResultsDocument;
      expect(validate(doc), `${name}: ${JSON.stringify(validate.errors)}`).to.equal(true);
      for (const p of doc.points) {
        expect(p.metrics.fault, `${name} ${p.id}`).to.have.property("injected", 1);
        expect((p.metrics.drops as Record<string, number>).driver_fault, `${name} ${p.id}`).to.be.a("number");
        expect(p.series!.bin_s).to.equal(0.01);
        if (name.startsWith("gige")) expect(p.series!.throughput_bits_per_s, `${name} ${p.id}`).to.have.length(20); // 200 ms
      }
    }
  });

  it("declares every metric of src/dsl/metrics.ts in schema/results.schema.json, with its _sd companion", () => {
    const schema = JSON.parse(readFileSync(packagePath("schema", "results.schema.json"), "utf8"));
    const props = schema.properties.points.items.properties.metrics.properties as Record<string, { properties?: Record<string, unknown> }>;
    const missing = METRICS.flatMap((m) => {
      const [head, leaf] = m.name.split(".") as [string, string | undefined];
      return [head, `${head}_sd`].filter((k) => !(leaf === undefined ? props[k] : props[k]?.properties?.[leaf])).map((k) => (leaf ? `${k}.${leaf}` : k));
    });
    expect(missing).to.deep.equal([]);
  });

  describe("output directories", () => {
    it("refuses, before any work, a directory on a full disk", async () => {
      const c = await prepareOutDir(path.join(tmp, "out"), fullDisk(/^\.loopdrv-write-test/));
      expect(c).to.deep.equal({
        ok: false,
        message: `output directory ${JSON.stringify(path.join(tmp, "out"))} is on a full disk (ENOSPC)`,
        hint: "free some space, or give a directory on another disk",
      });
      // The probe is removed, and the directory made for the run with it.
      expect(existsSync(path.join(tmp, "out"))).to.equal(false);
      mkdirSync(path.join(tmp, "there"));
      expect((await prepareOutDir(path.join(tmp, "there"), fullDisk(/^\.loopdrv-write-test/))).ok).to.equal(false);
      expect(readdirSync(path.join(tmp, "there")), "the probe is removed").to.deep.equal([]);
    });

    it("refuses, before any work, a directory it may not write (a read-only file system)", async () => {
      const ro: OutputFs = { ...nodeFs, access: (async () => Promise.reject(errno("EROFS"))) as OutputFs["access"] };
      const c = await prepareOutDir(tmp, ro);
      expect(c).to.deep.equal({ ok: false, message: `output directory ${JSON.stringify(tmp)} is not writable (EROFS)` });
    });

    it("creates missing parents level by level, and refuses at once a place where none can be made (/proc: Node's recursive mkdir spun there for ever)", async () => {
      const deep = path.join(tmp, "a", "b", "c");
      expect(await prepareOutDir(deep)).to.deep.equal({ ok: true, dir: deep });
      expect(readdirSync(deep)).to.deep.equal([]);
      const c = await prepareOutDir("/proc/loopdrv-no-such/out");
      expect(c).to.deep.equal({ ok: false, message: `cannot create output directory "/proc/loopdrv-no-such/out": ENOENT`, hint: "give a path under a directory you can write to (e.g. ./out/run1)" });
    });

    it("refuses a path that is a file, and a directory of someone else's files, before running (exit 2)", async () => {
      const file = path.join(tmp, "file");
      writeFileSync(file, "x");
      const r = await cli(["run", SMOKE, "--quick", "--out", file]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include("is a file, not a directory").and.not.include("[1/");
    });

    it("refuses a directory whose results.json is not loopdrv's, and accepts one that is", async () => {
      const theirs = path.join(tmp, "theirs");
      mkdirSync(theirs);
      writeFileSync(path.join(theirs, "results.json"), '{"my": "data"}');
      const c = await prepareOutDir(theirs);
      expect(c.ok).to.equal(false);
      if (!c.ok) expect(c.hint).to.match(/its results.json is not a loopdrv results document/);
      expect(readFileSync(path.join(theirs, "results.json"), "utf8")).to.equal('{"my": "data"}');
      writeFileSync(path.join(theirs, "results.json"), JSON.stringify({ format: "loopdrv-results/1", points: [] }));
      expect((await prepareOutDir(theirs)).ok).to.equal(true);
    });

    it("removes temporaries a killed run left in the directory, and the directories it made for a refused --out", async () => {
      const out = path.join(tmp, "left");
      mkdirSync(out);
      writeFileSync(path.join(out, "results.json"), JSON.stringify({ format: "loopdrv-results/1", points: [] }));
      const half = path.join(out, ".results.json.29627.1795687700130.1.tmp");
      writeFileSync(half, "half a file");
      const hourAgo = new Date(Date.now() - 3600_000);
      utimesSync(half, hourAgo, hourAgo);
      writeFileSync(path.join(out, ".results.csv.31000.1795687700130.2.tmp"), "another run writing now");
      writeFileSync(path.join(out, ".backup.2024.11.26.tmp"), "the user's, named like one");
      utimesSync(path.join(out, ".backup.2024.11.26.tmp"), hourAgo, hourAgo);
      writeFileSync(path.join(out, ".keep"), "the user's");
      expect((await prepareOutDir(out)).ok).to.equal(true);
      expect(readdirSync(out).sort()).to.deep.equal([".backup.2024.11.26.tmp", ".keep", ".results.csv.31000.1795687700130.2.tmp", "results.json"]);
      const full: OutputFs = { ...nodeFs, open: (async () => Promise.reject(errno("ENOSPC"))) as OutputFs["open"] };
      const fresh = path.join(tmp, "new", "deeper");
      expect((await prepareOutDir(fresh, full)).ok).to.equal(false);
      expect(existsSync(path.join(tmp, "new"))).to.equal(false);
    });

    it("when the disk fills while writing, replaces no file, leaves no temporary, and says so in words", async () => {
      const plan = await planOk(scenario("core-smoke.yaml"), { quick: true });
      const merged = (await loadScenario(scenario("core-smoke.yaml"))).scenario!;
      const doc = buildResults({ merged, plan, points: plan.points.map((p) => ({ id: p.id, params: p.params, status: "not-run" as const, metrics: {} })), partial: true, version: "test", cwd: packagePath() });
      writeFileSync(path.join(tmp, "results.json"), "earlier results");
      writeFileSync(path.join(tmp, "results.csv"), "earlier csv");
      let err: unknown;
      try {
        await writeOutputs(tmp, doc, undefined, fullDisk(/^\.results\.csv\./)); // results.json fits, results.csv does not
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(OutputWriteError);
      expect((err as Error).message).to.equal(`cannot write the results into ${JSON.stringify(tmp)}: ENOSPC (no space left on the device)`);
      expect(readFileSync(path.join(tmp, "results.json"), "utf8")).to.equal("earlier results");
      expect(readFileSync(path.join(tmp, "results.csv"), "utf8")).to.equal("earlier csv");
      expect(readdirSync(tmp).sort()).to.deep.equal(["results.csv", "results.json"]);
    });
  });
});
