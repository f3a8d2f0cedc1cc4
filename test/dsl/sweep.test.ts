/**
 * Sweep expansion (plan.ts): the order of points, zip and exclude, ranges, the paper's two
 * figures, --quick, and how a swept clock rescales costs written in cycles.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { formatParam } from "../../src/dsl/format-value.js";
import { pointKey } from "../../src/run/cache.js";
import { pointSeed } from "../../src/run/identity.js";
import { validateFiles } from "../../src/dsl/check.js";
import type { Plan, PlanPoint } from "../../src/dsl/plan.js";
import { parseQuantity } from "../../src/dsl/units.js";
import { invalidFixture, planOk, scenario, validFixture } from "../helpers/fixtures.js";
import { NIC_BASE, TmpDir, yaml } from "../helpers/tmp.js";

const MiB = 1024 * 1024;

function column(plan: Plan, dotted: string): unknown[] {
  return plan.points.map((p) => p.params[dotted]);
}

function valueAt(pt: PlanPoint, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], pt.scenario);
}

describe("sweep expansion", () => {
  const tmp = new TmpDir();
  after(() => tmp.remove());

  const planOf = (text: string, opts: Parameters<typeof planOk>[1] = {}) => planOk(tmp.write(text), opts);

  it("varies the first matrix axis slowest", async () => {
    const plan = await planOf(yaml`
      extends: ${NIC_BASE}
      sweep:
        matrix:
          devices.eth0.driver.placement: [kernel, user]
          workload.offered_load: [100 Mb/s, 200 Mb/s, 300 Mb/s]
    `);
    expect(plan.points.map((p) => p.params)).to.deep.equal([
      { "devices.eth0.driver.placement": "kernel", "workload.offered_load": 100e6 },
      { "devices.eth0.driver.placement": "kernel", "workload.offered_load": 200e6 },
      { "devices.eth0.driver.placement": "kernel", "workload.offered_load": 300e6 },
      { "devices.eth0.driver.placement": "user", "workload.offered_load": 100e6 },
      { "devices.eth0.driver.placement": "user", "workload.offered_load": 200e6 },
      { "devices.eth0.driver.placement": "user", "workload.offered_load": 300e6 },
    ]);
  });

  it("in a file that extends another, takes its own axes first, in its order, then the base's others", async () => {
    const base = tmp.write(yaml`
      extends: ${NIC_BASE}
      sweep:
        matrix:
          workload.offered_load: [100 Mb/s, 200 Mb/s]
          workload.clients: [1, 2]
    `);
    const plan = await planOf(yaml`
      extends: ${base}
      sweep:
        matrix:
          devices.eth0.driver.placement: [kernel, user]
          workload.offered_load: [300 Mb/s, 400 Mb/s]
    `);
    expect(plan.axes.map((a) => a.path)).to.deep.equal(["devices.eth0.driver.placement", "workload.offered_load", "workload.clients"]);
    expect(plan.points.slice(0, 3).map((p) => p.params)).to.deep.equal([
      { "devices.eth0.driver.placement": "kernel", "workload.offered_load": 300e6, "workload.clients": 1 },
      { "devices.eth0.driver.placement": "kernel", "workload.offered_load": 300e6, "workload.clients": 2 },
      { "devices.eth0.driver.placement": "kernel", "workload.offered_load": 400e6, "workload.clients": 1 },
    ]);
  });

  it("leaves an expect selection on a path --set narrowed to the run (it plans; the check reports at the end)", async () => {
    const file = tmp.write(yaml`
      extends: ${NIC_BASE}
      sweep:
        matrix:
          workload.offered_load: [100 Mb/s, 200 Mb/s]
      expect:
        - metric: throughput_bits_per_s
          where: {workload.offered_load: 200 Mb/s}
          op: ">="
          value: 190 Mb/s
    `);
    expect((await planOf(readFileSync(file, "utf8"))).points).to.have.length(2);
    const narrowed = await planOk(file, { set: ["workload.offered_load=300 Mb/s"] });
    expect(narrowed.points).to.have.length(1);
  });

  it("keeps --set of a label (name, description, figure, reference) out of the points' parameters, seeds and cache keys", async () => {
    const file = tmp.write(yaml`
      extends: ${NIC_BASE}
      sweep:
        matrix:
          workload.offered_load: [100 Mb/s, 200 Mb/s]
    `);
    const plain = await planOk(file);
    const labelled = await planOk(file, { set: ["name=renamed", "description=another", "figure.x=workload.offered_load"] });
    expect(labelled.paramPaths).to.deep.equal(plain.paramPaths);
    expect(labelled.points.map((p) => p.params)).to.deep.equal(plain.points.map((p) => p.params));
    expect(labelled.points.map((p) => pointSeed(1, p.seedParams))).to.deep.equal(plain.points.map((p) => pointSeed(1, p.seedParams)));
    expect(labelled.points.map((p) => pointKey(p.scenario, [1], "v"))).to.deep.equal(plain.points.map((p) => pointKey(p.scenario, [1], "v")));
    expect(labelled.points[0]!.scenario.name).to.equal("renamed");
  });

  it("leaves a figure axis that --set took out of the sweep to the figure (the run is not refused)", async () => {
    const plan = await planOk(validFixture("../../../docs/examples/holdoff-study.yaml"), { set: ["workload.offered_load=500Mb/s"] });
    expect(plan.points).to.have.length(6);
  });

  it("lets a file fix a path its base sweeps, as a --set does (the base's axis goes, and plan says so)", async () => {
    const base = tmp.write(yaml`
      extends: ${NIC_BASE}
      sweep:
        matrix:
          workload.offered_load: [100 Mb/s, 200 Mb/s, 300 Mb/s]
          devices.eth0.driver.placement: [kernel, user]
    `);
    const fixed = await planOf(yaml`
      extends: ${base}
      workload:
        offered_load: 250 Mb/s
    `);
    expect(fixed.axes.map((a) => a.path)).to.deep.equal(["devices.eth0.driver.placement"]);
    expect(fixed.points.map((p) => valueAt(p, "workload.offered_load"))).to.deep.equal([250e6, 250e6]);
    expect(fixed.replacedAxes).to.have.length(1);
    expect(fixed.replacedAxes[0]).to.include({ path: "workload.offered_load", text: "workload.offered_load: 250 Mb/s" });
    // Fixed in the middle of a chain, it stays fixed for the files below.
    const below = await planOf(yaml`
      extends: ${tmp.write(yaml`
        extends: ${base}
        workload:
          offered_load: 250 Mb/s
      `)}
      run:
        seed: 3
    `);
    expect(below.points.map((p) => valueAt(p, "workload.offered_load"))).to.deep.equal([250e6, 250e6]);
    // A file that sweeps the path itself keeps its own axis.
    const own = await planOf(yaml`
      extends: ${base}
      workload:
        offered_load: 250 Mb/s
      sweep:
        matrix:
          workload.offered_load: [250 Mb/s, 350 Mb/s]
    `);
    expect(own.points).to.have.length(4);
  });

  it("reads an exclude entry on a path a file or --set fixed against the fixed value", async () => {
    const base = tmp.write(yaml`
      extends: ${NIC_BASE}
      sweep:
        matrix:
          devices.eth0.driver.placement: [kernel, user]
          workload.offered_load: [100 Mb/s, 200 Mb/s, 300 Mb/s]
        exclude:
          - {devices.eth0.driver.placement: user, workload.offered_load: 100 Mb/s}
    `);
    expect((await planOk(base)).points).to.have.length(5);
    const fixedTo = (placement: string) => planOf(yaml`
      extends: ${base}
      devices:
        eth0:
          driver:
            placement: ${placement}
    `);
    // Fixed to kernel the entry can never match; fixed to user it holds for every point.
    expect((await fixedTo("kernel")).points).to.have.length(3);
    expect((await fixedTo("user")).points.map((p) => p.params["workload.offered_load"])).to.deep.equal([200e6, 300e6]);
    expect((await planOk(base, { set: ["devices.eth0.driver.placement=user"] })).points).to.have.length(2);
  });

  it("accepts a data-rate expect value of 0 without a unit (any other number needs one)", async () => {
    const plan = await planOf(yaml`
      extends: ${NIC_BASE}
      expect:
        - metric: throughput_bits_per_s
          op: ">"
          value: 0
    `);
    expect(plan.points).to.have.length(1);
  });

  it("shows a hold-off both as its interval and as a rate, whichever way it was written, and 0 as off", async () => {
    const plan = await planOk(scenario("holdoff-sweep.yaml"));
    const sc = plan.points[0]!.scenario;
    expect(formatParam(sc, "devices.eth0.holdoff.itr", 500e-6)).to.equal("500 us (2000/s)");
    expect(formatParam(sc, "devices.eth0.holdoff.itr", 125e-6)).to.equal("125 us (8000/s)");
    expect(formatParam(sc, "devices.eth0.holdoff.itr", 0)).to.equal("0 s (off)");
  });

  it("advances zip axes in lock-step", async () => {
    const plan = await planOf(yaml`
      extends: ${NIC_BASE}
      sweep:
        zip:
          workload.offered_load: [100 Mb/s, 200 Mb/s, 300 Mb/s]
          workload.clients: [1, 2, 3]
    `);
    expect(plan.points.map((p) => p.params)).to.deep.equal([
      { "workload.offered_load": 100e6, "workload.clients": 1 },
      { "workload.offered_load": 200e6, "workload.clients": 2 },
      { "workload.offered_load": 300e6, "workload.clients": 3 },
    ]);
  });

  it("combines matrix axes with the zip group as one more, innermost, axis", async () => {
    const plan = await planOk(validFixture("sweep-zip.yaml"));
    expect(plan.points.map((p) => Object.values(p.params))).to.deep.equal([
      ["kernel", 100e6, 1],
      ["kernel", 200e6, 2],
      ["kernel", 300e6, 3],
      ["user", 100e6, 1],
      ["user", 200e6, 2],
      ["user", 300e6, 3],
    ]);
  });

  it("excludes by canonical value, so `1 Gb/s` excludes `1000 Mb/s`", async () => {
    const plan = await planOf(yaml`
      extends: ${NIC_BASE}
      sweep:
        matrix:
          devices.eth0.driver.placement: [kernel, user]
          workload.offered_load: [100 Mb/s, 1000 Mb/s]
        exclude:
          - {devices.eth0.driver.placement: user, workload.offered_load: 1 Gb/s}
    `);
    expect(plan.points.map((p) => Object.values(p.params))).to.deep.equal([
      ["kernel", 100e6],
      ["kernel", 1e9],
      ["user", 100e6],
    ]);
    expect(plan.excluded).to.equal(1);
  });

  it("drops a point only when it matches every value of an exclude entry", async () => {
    const plan = await planOk(validFixture("sweep-zip.yaml"));
    expect(plan.excluded).to.equal(0);
    const excl = await planOf(yaml`
      extends: ${NIC_BASE}
      sweep:
        matrix:
          devices.eth0.driver.placement: [kernel, user]
          workload.clients: [1, 2]
        exclude:
          - {devices.eth0.driver.placement: user, workload.clients: 2}
          - {workload.clients: 1, devices.eth0.driver.placement: kernel}
    `);
    expect(excl.points.map((p) => Object.values(p.params))).to.deep.equal([
      ["kernel", 2],
      ["user", 1],
    ]);
  });

  it("numbers points p0… with as many digits as the last index needs", async () => {
    const plan = await planOk(scenario("paper-fig4.yaml"));
    expect(plan.points.slice(0, 2).map((p) => p.id)).to.deep.equal(["p00", "p01"]);
    expect(plan.points[99]!.id).to.equal("p99");
    expect(plan.points.map((p) => p.index)).to.deep.equal([...Array(100).keys()]);
  });

  it("gives a scenario without a sweep one point and no params", async () => {
    const plan = await planOk(validFixture("nic.yaml"));
    expect(plan.points.map((p) => [p.id, p.params])).to.deep.equal([["p0", {}]]);
    expect(plan.paramPaths).to.deep.equal([]);
  });

  it("accepts a single range in place of a list", async () => {
    const plan = await planOf(yaml`
      extends: ${NIC_BASE}
      sweep:
        matrix:
          workload.clients: {from: 1, to: 4, step: 1}
    `);
    expect(column(plan, "workload.clients")).to.deep.equal([1, 2, 3, 4]);
  });

  describe("ranges", () => {
    it("write their values in the unit of `from`", async () => {
      const plan = await planOf(yaml`
        extends: ${NIC_BASE}
        sweep:
          matrix:
            workload.offered_load: {from: 0.5 Gb/s, to: 1000 Mb/s, step: 250 Mb/s}
      `);
      expect(plan.axes[0]!.values.map((v) => v.raw)).to.deep.equal(["0.5 Gb/s", "0.75 Gb/s", "1 Gb/s"]);
      expect(column(plan, "workload.offered_load")).to.deep.equal([500e6, 750e6, 1e9]);
    });

    it("step by 0.1 ms ten times without accumulating error", async () => {
      const plan = await planOf(yaml`
        extends: ${NIC_BASE}
        sweep:
          matrix:
            devices.eth0.holdoff.itr: {from: 0.1 ms, to: 1 ms, step: 0.1 ms}
      `);
      const written = ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"].map((n) => `${n} ms`);
      expect(plan.axes[0]!.values.map((v) => v.raw)).to.deep.equal(written);
      const si = written.map((w) => {
        const r = parseQuantity(w, "interval");
        if (!r.ok) throw new Error(r.error.message);
        return r.quantity.si;
      });
      expect(column(plan, "devices.eth0.holdoff.itr")).to.deep.equal(si);
    });

    it("stop at the last step that does not pass `to`", async () => {
      const plan = await planOf(yaml`
        extends: ${NIC_BASE}
        sweep:
          matrix:
            workload.offered_load: {from: 100 Mb/s, to: 350 Mb/s, step: 100 Mb/s}
      `);
      expect(column(plan, "workload.offered_load")).to.deep.equal([100e6, 200e6, 300e6]);
    });

    it("may be mixed with single values in one list, in the order written", async () => {
      const plan = await planOf(yaml`
        extends: ${NIC_BASE}
        sweep:
          matrix:
            workload.offered_load: [10 Mb/s, {from: 100 Mb/s, to: 300 Mb/s, step: 100 Mb/s}, 50 Mb/s]
      `);
      expect(column(plan, "workload.offered_load")).to.deep.equal([10e6, 100e6, 200e6, 300e6, 50e6]);
    });
  });

  describe("range errors", () => {
    // The exact diagnostic sets are in the invalid corpus, skipped there while a cascading
    // sweep-empty is reported with them; these check the range error itself.
    const codesAt = async (name: string) => {
      const [r] = await validateFiles([invalidFixture(name)]);
      return r!.diagnostics.map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.col}`);
    };

    it("report a zero step at the range", async () => {
      expect(await codesAt("sweep-range-zero-step.yaml")).to.include("sweep-range-step 5:28");
    });

    it("report a range mixing cycles and time at the range", async () => {
      expect(await codesAt("sweep-range-mixed-dimension.yaml")).to.include("sweep-range-units 5:30");
    });

    it("report a range of more than 10,000 values", async () => {
      const file = tmp.write(yaml`
        extends: ${NIC_BASE}
        sweep:
          matrix:
            workload.offered_load: {from: 1 b/s, to: 1 Gb/s, step: 1 b/s}
      `);
      const [r] = await validateFiles([file]);
      expect(r!.diagnostics.map((d) => d.code)).to.include("sweep-range-too-long");
    });
  });

  describe("the paper's figures", () => {
    const FIG2_SIZES_SECTORS = [
      ...Array.from({ length: 32 }, (_, i) => i + 1),
      40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512,
      640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192,
    ];
    const FIG4_LOADS_MBPS = [10, 50, ...Array.from({ length: 46 }, (_, i) => 100 + 20 * i), 790, 850];

    it("paper-fig2 has exactly 128 points", async () => {
      expect((await planOk(scenario("paper-fig2.yaml"))).points).to.have.length(128);
    });

    it("paper-fig2 sweeps the paper's transfer sizes in order, for kernel then user", async () => {
      const plan = await planOk(scenario("paper-fig2.yaml"));
      const bytes = FIG2_SIZES_SECTORS.map((s) => s * 512);
      expect(column(plan, "workload.transfer_size")).to.deep.equal([...bytes, ...bytes]);
      expect(column(plan, "devices.hda.driver.placement")).to.deep.equal([...bytes.map(() => "kernel"), ...bytes.map(() => "user")]);
    });

    it("paper-fig4 has exactly 100 points", async () => {
      expect((await planOk(scenario("paper-fig4.yaml"))).points).to.have.length(100);
    });

    it("paper-fig4 sweeps the paper's offered loads in order, for kernel then user", async () => {
      const plan = await planOk(scenario("paper-fig4.yaml"));
      const loads = FIG4_LOADS_MBPS.map((m) => m * 1e6);
      expect(column(plan, "workload.offered_load")).to.deep.equal([...loads, ...loads]);
      expect(column(plan, "devices.eth0.driver.placement")).to.deep.equal([...loads.map(() => "kernel"), ...loads.map(() => "user")]);
    });

    it("paper-fig4 echoes 1024-byte payloads from four clients at every point", async () => {
      const plan = await planOk(scenario("paper-fig4.yaml"));
      const shapes = new Set(plan.points.map((p) => `${valueAt(p, "workload.payload")} ${valueAt(p, "workload.clients")}`));
      expect([...shapes]).to.deep.equal(["1024 4"]);
    });
  });

  describe("--quick", () => {
    it("divides durations and warm-ups by 10 by default", async () => {
      const full = await planOk(scenario("gige-kernel.yaml"));
      const quick = await planOk(scenario("gige-kernel.yaml"), { quick: true });
      const run = (p: Plan) => p.points[0]!.scenario.run;
      expect(run(quick).duration).to.equal(run(full).duration / 10);
      expect(run(quick).warmup).to.equal(run(full).warmup / 10);
      expect(run(quick).cooldown).to.equal(run(full).cooldown / 10);
    });

    it("reads 1 MiB per repetition, once, for a disk workload by default", async () => {
      const quick = await planOk(scenario("ide-kernel.yaml"), { quick: true });
      expect(quick.points.map((p) => [p.scenario.workload.bytes, p.scenario.workload.repetitions])).to.deep.equal(
        quick.points.map(() => [MiB, 1]),
      );
    });

    it("leaves the sweep's points as they are", async () => {
      const full = await planOk(scenario("paper-fig2.yaml"));
      const quick = await planOk(scenario("paper-fig2.yaml"), { quick: true });
      expect(quick.points.map((p) => p.params)).to.deep.equal(full.points.map((p) => p.params));
    });

    it("marks the plan and the values it changed as quick", async () => {
      const quick = await planOk(scenario("ide-kernel.yaml"), { quick: true });
      expect(quick.quick).to.equal(true);
      const pt = quick.points[0]!;
      expect(["run.duration", "workload.bytes", "workload.repetitions"].map((k) => pt.provenance.get(k)?.kind)).to.deep.equal([
        "quick",
        "quick",
        "quick",
      ]);
    });

    it("applies a scenario's run.quick block instead of the defaults", async () => {
      const quick = (await planOk(validFixture("quick-block.yaml"), { quick: true })).points[0]!;
      expect(quick.scenario.run.duration).to.equal(0.02);
      expect(quick.scenario.workload.repetitions).to.equal(2);
      // The defaults (÷ 10, 1 MiB) do not apply on top of a block.
      expect(quick.scenario.run.warmup).to.equal(1);
      expect(quick.scenario.workload.bytes).to.equal(4 * MiB);
    });

    it("points the values of a run.quick block at the block's lines", async () => {
      const quick = (await planOk(validFixture("quick-block.yaml"), { quick: true })).points[0]!;
      const o = quick.provenance.get("run.duration")!;
      expect([o.kind, o.range?.start.line]).to.deep.equal(["quick", 9]);
    });

    it("ignores the run.quick block without --quick", async () => {
      const full = (await planOk(validFixture("quick-block.yaml"))).points[0]!;
      expect([full.scenario.run.duration, full.scenario.workload.repetitions]).to.deep.equal([10, 5]);
      expect(full.scenario.run).to.not.have.property("quick");
    });

    it("does not shorten a value given with --set", async () => {
      const quick = await planOk(scenario("gige-kernel.yaml"), { quick: true, set: ["run.duration=2 s"] });
      expect(quick.points[0]!.scenario.run.duration).to.equal(2);
    });
  });

  describe("costs and a swept clock", () => {
    it("scales costs written in cycles with the point's clock", async () => {
      const plan = await planOk(validFixture("clock-sweep.yaml"));
      expect(plan.points.map((p) => p.scenario.machine.costs.irq_entry)).to.deep.equal([900 / 900e6, 900 / 1.8e9]);
    });

    it("scales per-byte costs written in cycles/B with the point's clock", async () => {
      const plan = await planOk(validFixture("clock-sweep.yaml"));
      expect(plan.points.map((p) => p.scenario.machine.costs.copy_per_byte)).to.deep.equal([0.9 / 900e6, 0.9 / 1.8e9]);
    });

    it("leaves costs written as times alone", async () => {
      const plan = await planOk(validFixture("clock-sweep.yaml"));
      expect(plan.points.map((p) => p.scenario.machine.costs.reg_read)).to.deep.equal([1e-6, 1e-6]);
    });

    it("scales the preset's cycle costs too", async () => {
      const plan = await planOk(validFixture("clock-sweep.yaml"));
      const [slow, fast] = plan.points.map((p) => p.scenario.machine.costs.context_switch);
      expect(slow! / fast!).to.be.closeTo(2, 1e-12);
    });
  });
});
