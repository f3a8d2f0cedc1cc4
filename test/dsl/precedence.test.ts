/**
 * The override order (design §4, layers.ts): defaults < preset < extends < file < sweep <
 * --set. Each level is asserted through what `plan` reports for a point: the value and its
 * provenance. test/fixtures/valid/precedence.yaml writes one value per level.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setsOf } from "../../cli/app.js";
import { msg } from "../../src/diag/messages.js";
import { validateFiles } from "../../src/dsl/check.js";
import { loadScenario, parseSetArg } from "../../src/dsl/load.js";
import type { Origin } from "../../src/dsl/layers.js";
import { planScenario, type Plan, type PlanPoint } from "../../src/dsl/plan.js";
import { presetNote, presets } from "../../src/dsl/presets.js";
import { loadOk, planOk, scenario, validFixture } from "../helpers/fixtures.js";

const FILE = validFixture("precedence.yaml");
const BASE = validFixture("precedence-base.yaml");

function valueAt(pt: PlanPoint, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], pt.scenario);
}

/** What a test asserts of an origin: its kind, and where it was written when it was. */
function where(o: Origin | undefined): { kind?: string; file?: string; line?: number; col?: number } {
  if (!o) return {};
  return { kind: o.kind, ...(o.range ? { file: path.basename(o.range.file), line: o.range.start.line, col: o.range.start.col } : {}) };
}

describe("precedence: defaults < preset < extends < file < sweep < --set", () => {
  let plan: Plan;
  let p0: PlanPoint;
  before(async () => {
    plan = await planOk(FILE);
    p0 = plan.points[0]!;
  });

  it("takes a value nobody wrote from the schema's default", () => {
    expect(valueAt(p0, "devices.eth0.driver.loopback_ring")).to.equal(256);
    expect(where(p0.provenance.get("devices.eth0.driver.loopback_ring"))).to.deep.equal({ kind: "default" });
  });

  it("takes a value the preset gives over having none, and cites the preset's source", () => {
    const preset = presets().get("intel-82545gm")!;
    expect(valueAt(p0, "devices.eth0.rx_ring")).to.equal(256);
    const o = p0.provenance.get("devices.eth0.rx_ring")!;
    expect(o.kind).to.equal("preset");
    expect(o.note).to.equal(presetNote(preset, "rx_ring"));
  });

  it("lets the extended base override the preset", () => {
    expect(valueAt(p0, "devices.eth0.rx_fifo")).to.equal(32 * 1024);
    expect(where(p0.provenance.get("devices.eth0.rx_fifo"))).to.deep.equal({ kind: "extends", file: "precedence-base.yaml", line: 6, col: 14 });
  });

  it("records the extends chain of a value that came from the base", () => {
    expect(p0.provenance.get("devices.eth0.rx_fifo")!.chain).to.deep.equal([FILE, BASE]);
  });

  it("keeps a base value the file does not mention", () => {
    expect(valueAt(p0, "workload.sndbuf")).to.equal(128 * 1024);
    expect(where(p0.provenance.get("workload.sndbuf"))).to.deep.equal({ kind: "extends", file: "precedence-base.yaml", line: 11, col: 11 });
  });

  it("lets the file override the extended base", () => {
    expect(valueAt(p0, "workload.clients")).to.equal(3);
    expect(where(p0.provenance.get("workload.clients"))).to.deep.equal({ kind: "file", file: "precedence.yaml", line: 7, col: 12 });
  });

  it("lets the file override the preset", () => {
    expect(valueAt(p0, "machine.clock")).to.equal(1e9);
    expect(where(p0.provenance.get("machine.clock"))).to.deep.equal({ kind: "file", file: "precedence.yaml", line: 5, col: 10 });
  });

  it("lets the sweep override the file, each point pointing at its own sweep value", () => {
    expect(plan.points.map((p) => valueAt(p, "workload.offered_load"))).to.deep.equal([200e6, 300e6]);
    expect(plan.points.map((p) => where(p.provenance.get("workload.offered_load")))).to.deep.equal([
      { kind: "sweep", file: "precedence.yaml", line: 12, col: 29 },
      { kind: "sweep", file: "precedence.yaml", line: 12, col: 39 },
    ]);
  });

  it("takes neither name nor description from the base: a file that extends another and writes none is named after itself", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "loopdrv-labels-"));
    try {
      writeFileSync(path.join(dir, "base.yaml"), `extends: ${JSON.stringify(path.resolve(BASE))}\nname: the-base\ndescription: what the base shows\n`);
      writeFileSync(path.join(dir, "mine.yaml"), "extends: base.yaml\n");
      const merged = await loadOk(path.join(dir, "mine.yaml"));
      expect(merged.name).to.equal("mine");
      expect(merged.value.name).to.equal(undefined);
      expect(merged.value.description).to.equal(undefined);
      // Written with --set, they are there.
      expect((await loadOk(path.join(dir, "mine.yaml"), { set: ["description=mine"] })).value.description).to.equal("mine");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets --set override the file", async () => {
    const setPlan = await planOk(FILE, { set: ["workload.payload=256 B"] });
    const pt = setPlan.points[0]!;
    expect(valueAt(pt, "workload.payload")).to.equal(256);
    expect(where(pt.provenance.get("workload.payload"))).to.deep.equal({ kind: "set", file: "--set", line: 1, col: 18 });
  });

  it("lets --set override the extended base", async () => {
    const pt = (await planOk(FILE, { set: ["devices.eth0.rx_fifo=16 KiB"] })).points[0]!;
    expect(valueAt(pt, "devices.eth0.rx_fifo")).to.equal(16 * 1024);
    expect(where(pt.provenance.get("devices.eth0.rx_fifo"))).to.deep.equal({ kind: "set", file: "--set", line: 1, col: 22 });
  });

  it("lists a --set path that is not swept among the params of every point", async () => {
    const setPlan = await planOk(FILE, { set: ["workload.payload=256 B"] });
    expect(setPlan.paramPaths).to.deep.equal(["workload.offered_load", "workload.payload"]);
    expect(setPlan.points.map((p) => p.params)).to.deep.equal([
      { "workload.offered_load": 200e6, "workload.payload": 256 },
      { "workload.offered_load": 300e6, "workload.payload": 256 },
    ]);
  });

  it("lets a later --set of the same path win over an earlier one", async () => {
    const pt = (await planOk(FILE, { set: ["workload.payload=256 B", "workload.payload=128 B"] })).points[0]!;
    expect(valueAt(pt, "workload.payload")).to.equal(128);
  });
});

describe("--set on a swept path", () => {
  it("replaces the axis with the single value", async () => {
    const plan = await planOk(FILE, { set: ["workload.offered_load=400 Mb/s"] });
    expect(plan.points.map((p) => p.params)).to.deep.equal([{ "workload.offered_load": 400e6 }]);
    expect(where(plan.points[0]!.provenance.get("workload.offered_load"))).to.deep.equal({ kind: "set", file: "--set", line: 1, col: 23 });
  });

  it("is reported in plan.replacedAxes with the text as typed", async () => {
    const plan = await planOk(FILE, { set: ["workload.offered_load=400 Mb/s"] });
    expect(plan.replacedAxes).to.deep.equal([{ path: "workload.offered_load", text: "workload.offered_load=400 Mb/s" }]);
  });

  it("leaves the other matrix axes sweeping", async () => {
    const plan = await planOk(scenario("paper-fig4.yaml"), { set: ["devices.eth0.driver.placement=user"] });
    expect(plan.points).to.have.length(50);
    expect(new Set(plan.points.map((p) => p.params["devices.eth0.driver.placement"]))).to.deep.equal(new Set(["user"]));
  });

  it("on one axis of a zip group still plans, with that value at every point", async () => {
    const plan = await planOk(validFixture("sweep-zip.yaml"), { set: ["workload.clients=2"] });
    expect(plan.points.length).to.be.greaterThan(0);
    expect(plan.points.every((p) => p.params["workload.clients"] === 2)).to.equal(true);
    expect(plan.replacedAxes.map((a) => a.path)).to.deep.equal(["workload.clients"]);
  });
});

describe("--seed", () => {
  it("is --set run.seed=N", () => {
    expect(setsOf({ seed: "42" })).to.deep.equal(["run.seed=42"]);
  });

  it("comes after the --set arguments, so it wins over a --set run.seed", () => {
    expect(setsOf({ set: ["run.seed=1"], seed: "42" })).to.deep.equal(["run.seed=1", "run.seed=42"]);
  });

  it("gives the same plan as --set run.seed=N", async () => {
    const viaSeed = await planOk(FILE, { set: setsOf({ seed: "42" }) });
    const viaSet = await planOk(FILE, { set: ["run.seed=42"] });
    expect(viaSeed.points.map((p) => [p.params, p.scenario])).to.deep.equal(viaSet.points.map((p) => [p.params, p.scenario]));
    expect(viaSeed.points[0]!.scenario.run.seed).to.equal(42);
  });
});

describe("--set errors", () => {
  /** The diagnostics `loopdrv validate FILE --set TEXT` reports. */
  async function setDiagnostics(text: string) {
    const [r] = await validateFiles([FILE], { set: [text] });
    expect(r!.ok, "the file must be reported invalid").to.equal(false);
    return r!.diagnostics.map((d) => ({ code: d.code, file: d.range?.file, line: d.range?.start.line, col: d.range?.start.col, hint: d.hint }));
  }

  it("locates a bad unit at --set:1:COL, the column of the unit", async () => {
    const ds = await setDiagnostics("workload.payload=256 Bq");
    expect(ds.map(({ hint: _h, ...d }) => d)).to.deep.equal([{ code: "unit-unknown", file: "--set", line: 1, col: 22 }]);
  });

  it("locates a value of the wrong dimension at --set:1:COL", async () => {
    const ds = await setDiagnostics("workload.offered_load=5 ms");
    expect(ds.map(({ hint: _h, ...d }) => d)).to.deep.equal([{ code: "unit-dimension", file: "--set", line: 1, col: 25 }]);
  });

  it("locates an unknown path at --set:1:1 and suggests the near miss", async () => {
    const ds = await setDiagnostics("workload.payloda=256 B");
    expect(ds).to.deep.equal([{ code: "set-path-unknown", file: "--set", line: 1, col: 1, hint: msg["set-path-unknown"]("workload.payloda", "workload.payload").hint }]);
  });

  it("says what the section has when no spelling is close (a key of another workload, a device that is not there)", async () => {
    const disk = validFixture("disk.yaml");
    const hintOf = async (set: string) => (await loadScenario(disk, { set: [set] })).diagnostics.map((d) => [d.code, d.hint]);
    expect(await hintOf("workload.offered_load=100 Mb/s")).to.deep.equal([["set-path-unknown", "workload (disk-read) has: type, device, bytes, transfer_size, repetitions, o_direct, priority"]]);
    expect(await hintOf("devices.eth0.rx_ring=64")).to.deep.equal([["set-path-unknown", "devices has: hda"]]);
  });

  it("gives an interval written as a rate its bound as a rate", async () => {
    const ds = (await loadScenario(validFixture("nic.yaml"), { set: ["devices.eth0.holdoff.itr=50/s"] })).diagnostics;
    expect(ds.map((d) => [d.code, d.hint])).to.deep.equal([["schema-range", "as a rate, at least 60/s"]]);
  });

  it("tells a --set given a list that sweeps are written in the file", async () => {
    const ds = (await loadScenario(validFixture("disk.yaml"), { set: ["workload.transfer_size=[4 KiB, 8 KiB]"] })).diagnostics;
    expect(ds.map((d) => d.code)).to.deep.equal(["schema-type"]);
    expect(ds[0]!.hint).to.match(/^a --set gives one value; to run several, sweep the path in the file/);
  });

  it("reports text without `=` as set-syntax at --set:1:1", async () => {
    const ds = await setDiagnostics("workload.payload");
    expect(ds).to.deep.equal([{ code: "set-syntax", file: "--set", line: 1, col: 1, hint: msg["set-syntax"]("workload.payload").hint }]);
  });

  it("reports an empty path as set-syntax", () => {
    const r = parseSetArg("=3");
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.diagnostic.code).to.equal("set-syntax");
  });

  it("reports a YAML error in the value at the column inside the --set text", () => {
    const r = parseSetArg("workload.clients=[1, 2");
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.diagnostic.code).to.equal("yaml-syntax");
      expect(r.diagnostic.range!.file).to.equal("--set");
      expect(r.diagnostic.range!.start.col).to.be.greaterThan("workload.clients=".length);
    }
  });

  it("parses the value as YAML, so a number stays a number", () => {
    const r = parseSetArg("workload.clients=8");
    expect(r.ok && r.set.value).to.equal(8);
  });

  it("reports a bad value of a swept path at --set, not at the sweep", async () => {
    const ds = await setDiagnostics("workload.offered_load=400 mb/s");
    expect(ds.map(({ hint: _h, ...d }) => d)).to.deep.equal([{ code: "unit-unknown", file: "--set", line: 1, col: 27 }]);
  });
});

describe("--set source text", () => {
  it("shows the text of the --set argument in error, not of the last --set", async () => {
    const r = await loadScenario(FILE, { set: ["workload.payload=256 Bq", "run.seed=1"] });
    const d = r.diagnostics.find((x) => x.code === "unit-unknown")!;
    expect(d.range!.file).to.equal("--set");
    expect(d.sourceText).to.equal("workload.payload=256 Bq");
  });
});

describe("merged scenario", () => {
  it("records the extends chain, the loaded file first", async () => {
    const s = await loadOk(FILE);
    expect(s.chain).to.deep.equal([FILE, BASE]);
  });

  it("records every file read, base included", async () => {
    const s = await loadOk(FILE);
    expect(s.files.map((f) => path.basename(f))).to.deep.equal(["precedence.yaml", "precedence-base.yaml"]);
  });

  it("removes `extends` from the merged value", async () => {
    const s = await loadOk(FILE);
    expect(s.value).to.not.have.property("extends");
  });

  it("plans the same whether a value comes from the base or is written in the file", async () => {
    const a = planScenario(await loadOk(FILE)).plan!;
    const b = planScenario(await loadOk(FILE, { set: ["workload.sndbuf=128 KiB"] })).plan!;
    expect(a.points.map((p) => p.scenario)).to.deep.equal(b.points.map((p) => p.scenario));
  });
});
