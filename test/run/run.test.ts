import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { memoryIo } from "../../cli/io.js";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { aggregateRepetitions, simulate } from "../../src/run/point.js";
import { pointSeed } from "../../src/run/identity.js";
import { DEVICES } from "../../src/model/registry.js";

const SMOKE = path.join("scenarios", "core-smoke.yaml");

async function cli(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo(env);
  const code = await runCli(args, { ...io, cwd: packagePath() });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

async function smokePoint(index = 0, set: string[] = []) {
  const r = await loadScenario(packagePath(SMOKE), { set });
  const p = planScenario(r.scenario!, { quick: true }).plan!;
  return p.points[index]!;
}

describe("loopdrv run", function () {
  this.timeout(60_000);

  it("gives a byte-identical document for the same file and seed", async () => {
    const a = await cli(["run", SMOKE, "--quick", "--json", "--quiet"]);
    const b = await cli(["run", SMOKE, "--quick", "--json", "--quiet"]);
    expect(a.code).to.equal(0);
    expect(a.stdout).to.equal(b.stdout);
  });

  it("gives a different document for another seed", async () => {
    const a = await cli(["run", SMOKE, "--quick", "--json", "--quiet", "--set", "devices.tick.rate=20000/s"]);
    const b = await cli(["run", SMOKE, "--quick", "--json", "--quiet", "--set", "devices.tick.rate=20000/s", "--seed", "7"]);
    expect(JSON.parse(b.stdout).seed).to.equal(7);
    expect(JSON.parse(a.stdout).seed).to.equal(1);
  });

  it("writes a document that matches schema/results.schema.json", async () => {
    const r = await cli(["run", SMOKE, "--quick", "--json", "--quiet"]);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(packagePath("schema", "results.schema.json"), "utf8")));
    const doc = JSON.parse(r.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).to.equal(true);
    expect(doc.format).to.equal("loopdrv-results/1");
    expect(doc.points).to.have.length(6);
    expect(doc.points[0].params).to.deep.equal({ "devices.tick.driver.placement": "kernel", "devices.tick.rate": 1000 });
  });

  it("sorts keys at every level and records no absolute path", async () => {
    const r = await cli(["run", path.resolve(packagePath(), SMOKE), "--quick", "--json", "--quiet"]);
    const doc = JSON.parse(r.stdout);
    expect(doc.scenario.file).to.equal("scenarios/core-smoke.yaml");
    const check = (v: unknown): void => {
      if (v && typeof v === "object" && !Array.isArray(v)) {
        const keys = Object.keys(v);
        expect(keys).to.deep.equal([...keys].sort());
        Object.values(v).forEach(check);
      } else if (Array.isArray(v)) v.forEach(check);
    };
    check(doc);
    expect(r.stdout).not.to.include(packagePath());
  });

  it("charges a user-level driver more CPU than an in-kernel one for the same interrupts", async () => {
    const doc = JSON.parse((await cli(["run", SMOKE, "--quick", "--json", "--quiet"])).stdout);
    const at = (placement: string, rate: number) =>
      doc.points.find((p: { params: Record<string, unknown> }) => p.params["devices.tick.driver.placement"] === placement && p.params["devices.tick.rate"] === rate);
    expect(at("user", 5000).metrics.cpu_utilization).to.be.greaterThan(at("kernel", 5000).metrics.cpu_utilization);
    expect(at("user", 5000).metrics.context_switches_per_s).to.be.greaterThan(at("kernel", 5000).metrics.context_switches_per_s);
    expect(at("kernel", 5000).metrics.driver_activations_per_s).to.equal(0);
  });

  it("gives the same results when a --set or --seed repeats what the file has (a point's seed comes from its swept values)", async function () {
    this.timeout(60_000);
    const metrics = async (extra: string[]) => {
      const r = await cli(["run", path.join("scenarios", "ide-kernel.yaml"), "--quick", "--json", "--quiet", "--no-cache", "--jobs", "1", ...extra]);
      expect(r.code, r.stderr).to.equal(0);
      return (JSON.parse(r.stdout) as { points: { metrics: unknown }[] }).points.map((p) => p.metrics);
    };
    const plain = await metrics([]);
    expect(await metrics(["--seed", "1"])).to.deep.equal(plain); // the file's seed is 1
    expect(await metrics(["--set", "run.seed=1"])).to.deep.equal(plain);
    expect(await metrics(["--seed", "2"])).not.to.deep.equal(plain);
    // A --set on a swept path runs that point of the sweep as the sweep runs it.
    const narrowed = await metrics(["--set", "workload.transfer_size=8 sectors"]);
    expect(narrowed).to.deep.equal([plain[1]]);
  });

  it("averages a metric over the repetitions that report it, and gives equal values an sd of exactly 0", () => {
    const agg = aggregateRepetitions([
      { throughput_bits_per_s: 1e8, fault: { injected: 0 } },
      { throughput_bits_per_s: 1e8, fault: { injected: 1, detect_s: 0.02, outage_s: 0.05 } },
      { throughput_bits_per_s: 1e8, fault: { injected: 1, detect_s: 0.04, outage_s: 0.05 } },
    ]);
    expect(agg.throughput_bits_per_s).to.equal(1e8);
    expect(agg.throughput_bits_per_s_sd).to.equal(0);
    expect(agg.fault).to.deep.include({ detect_s: 0.03, outage_s: 0.05 });
    expect((agg.fault as { injected: number }).injected).to.be.closeTo(2 / 3, 1e-12);
    expect((agg.fault_sd as { outage_s: number }).outage_s).to.equal(0);
    // Reported by one repetition only: a value, but no sd.
    const once = aggregateRepetitions([{ fault: { injected: 0 } }, { fault: { injected: 1, detect_s: 0.02 } }]);
    expect(once.fault).to.deep.include({ detect_s: 0.02 });
    expect(once.fault_sd).to.deep.equal({ injected: Math.SQRT1_2 });
  });

  it("derives a point's seed from its parameters, not its position in the sweep", () => {
    const params = { "devices.tick.rate": 5000 };
    expect(pointSeed(1, params)).to.equal(pointSeed(1, { ...params }));
    expect(pointSeed(1, params)).not.to.equal(pointSeed(2, params));
    expect(pointSeed(1, params, 0)).not.to.equal(pointSeed(1, params, 1));
    expect(pointSeed(1, { a: 1, b: 2 })).to.equal(pointSeed(1, { b: 2, a: 1 }));
  });

  it("fails a point whose work is not conserved, naming the invariant", async () => {
    const pt = await smokePoint();
    const o = await simulate(pt.scenario, 1, {
      afterBuild: (sys) => {
        const dev = sys.components.get("devices.tick")!;
        const real = dev.conservation!.bind(dev);
        // An interrupt raised and lost without being counted anywhere.
        (dev as { conservation: typeof real }).conservation = () => real().map((e) => ({ ...e, issued: e.issued + 1 }));
      },
    });
    expect(o.status).to.equal("failed");
    expect(o.error).to.include('invariant "issued = completed + dropped + in flight" violated');
  });

  it("fails a point whose CPU accounting does not add up, naming the invariant", async () => {
    const pt = await smokePoint();
    const o = await simulate(pt.scenario, 1, {
      afterBuild: (sys) => sys.sim.at(1000, () => sys.k.cpu.corruptAccountingForTest(0, "irq", 5)),
    });
    expect(o.status).to.equal("failed");
    expect(o.error).to.include('invariant "CPU time accounted = elapsed × cores" violated');
  });

  it("refuses a scenario whose models are not emulated yet, with exit code 2 and a hint", async () => {
    // Every shipped device type is emulated now: take one model away for the test.
    const saved = DEVICES["gige-nic"]!;
    delete DEVICES["gige-nic"];
    try {
      const r = await cli(["run", "scenarios/gige-user.yaml", "--quick"]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include("not-emulated");
      expect(r.stderr).not.to.match(/\n\s+at /);
    } finally {
      DEVICES["gige-nic"] = saved;
    }
  });

  it("runs scenarios/gige-user.yaml when no file is given", async () => {
    const r = await cli(["run", "--quick", "--quiet", "--json"]);
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.stdout).scenario.file).to.include("gige-user.yaml");
  });

  it("prints a bounded number of progress lines", async () => {
    const r = await cli(["run", SMOKE, "--quick", "--set", "devices.tick.rate=2000/s"]);
    const lines = r.stderr.trim().split("\n");
    expect(lines.length).to.be.lessThan(50);
    expect(r.stderr).to.match(/\[2\/2\] p1 placement=user tick rate=2000\/s  ok/);
  });
});

describe("loopdrv run --out", function () {
  this.timeout(60_000);
  const tmp = () => mkdtempSync(path.join(tmpdir(), "loopdrv-out-"));

  it("writes results.json into a new directory", async () => {
    const dir = path.join(tmp(), "new");
    const r = await cli(["run", SMOKE, "--quick", "--out", dir, "--quiet"]);
    expect(r.code).to.equal(0);
    expect(JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")).format).to.equal("loopdrv-results/1");
    expect(readdirSync(dir).sort()).to.deep.equal(["figure.png", "figure.svg", "results.csv", "results.json"]);
  });

  it("replaces its own earlier results", async () => {
    const dir = tmp();
    const old = JSON.stringify({ format: "loopdrv-results/1", points: [] });
    writeFileSync(path.join(dir, "results.json"), old);
    const r = await cli(["run", SMOKE, "--quick", "--out", dir, "--quiet"]);
    expect(r.code).to.equal(0);
    expect(readFileSync(path.join(dir, "results.json"), "utf8")).not.to.equal(old);
  });

  it("refuses a non-empty directory without loopdrv results, before running, writing nothing", async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "thesis.tex"), "precious");
    const r = await cli(["run", SMOKE, "--quick", "--out", dir]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("not empty");
    expect(r.stderr).not.to.include("[1/");
    expect(readdirSync(dir)).to.deep.equal(["thesis.tex"]);
  });

  it("refuses a path that is a file", async () => {
    const f = path.join(tmp(), "file");
    writeFileSync(f, "x");
    const r = await cli(["run", SMOKE, "--quick", "--out", f]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("is a file");
    expect(readFileSync(f, "utf8")).to.equal("x");
  });

  it("refuses a directory it cannot create", async () => {
    const base = tmp();
    writeFileSync(path.join(base, "blocker"), "x");
    const r = await cli(["run", SMOKE, "--quick", "--out", path.join(base, "blocker", "sub")]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("cannot create output directory");
  });
});
