/**
 * The `faults:` section of the scenario language: what it accepts, what it refuses (with the
 * catalogued message, located), and what it normalises to.
 */
import { expect } from "chai";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { msg } from "../../src/diag/messages.js";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { scenario as shipped } from "../helpers/fixtures.js";
import { TmpDir, yaml } from "../helpers/tmp.js";
import { pointsOf } from "./fault-helpers.js";

const tmp = new TmpDir();
after(() => tmp.remove());

/** A scenario with one device `eth0` and `faults` (lines indented two spaces under `faults:`). */
const base = (faults: string, device = "gige-nic", driver = "placement: user") =>
  yaml`
    devices:
      eth0:
        type: ${device}
        driver: {${driver}}
    workload: {type: ${device === "timer" ? "cpu-hog" : "udp-echo, device: eth0"}}
  ` + `faults:\n${faults}\n`;

async function diagnostics(text: string, quick = false): Promise<Diagnostic[]> {
  const r = await loadScenario(tmp.write(text));
  const planned = r.scenario ? planScenario(r.scenario, { quick }) : undefined;
  return [...r.diagnostics, ...(planned?.diagnostics ?? [])];
}

const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.col} ${d.message}`);

describe("the faults: section", () => {
  it("normalises with the supervisor's defaults, times in seconds, and the series bin", async () => {
    const [sc] = await pointsOf(base("  inject:\n    boom: {device: eth0, fault: hang, at: 250 ms, every: 100 ms}"));
    expect(sc!.faults).to.deep.equal({
      inject: { boom: { device: "eth0", fault: "hang", at: 0.25, every: 0.1 } },
      supervisor: { heartbeat: 0.01, missed: 3, restart_delay: 0.001, restart_cost: 0.0002, in_flight: "requeue", priority: -10 },
      series_bin: 0.01,
    });
  });

  it("is absent from a scenario without one, so other scenarios' results and cache keys do not change", async () => {
    const plan = planScenario((await loadScenario(shipped("gige-user.yaml"))).scenario!, { quick: true }).plan!;
    expect(plan.points.every((p) => !("faults" in p.scenario))).to.equal(true);
  });

  it("can be swept like any value: the kind of fault, the policy", async () => {
    const points = await pointsOf(
      base("  inject:\n    f: {device: eth0, at: 1 ms}") + "sweep:\n  matrix:\n    faults.inject.f.fault: [crash, hang]\n    faults.supervisor.in_flight: [requeue, fail]\n",
    );
    expect(points.map((p) => `${p.faults!.inject.f!.fault}/${p.faults!.supervisor.in_flight}`)).to.deep.equal(["crash/requeue", "crash/fail", "hang/requeue", "hang/fail"]);
  });

  it("refuses a fault on a device that does not exist, with a suggestion", async () => {
    const ds = await diagnostics(base("  inject:\n    f: {device: eth1, at: 1 ms}"));
    expect(brief(ds)).to.deep.equal([`device-unknown 8:17 ${msg["device-unknown"]("eth1", ["eth0"], "eth0").message}`]);
    expect(ds[0]!.hint).to.equal(msg["device-unknown"]("eth1", ["eth0"], "eth0").hint);
  });

  it("refuses a fault on a device whose driver cannot fail in the model", async () => {
    const ds = await diagnostics(base("  inject:\n    f: {device: eth0, at: 1 ms}", "timer", "placement: user"));
    expect(brief(ds)).to.deep.equal([`fault-device-unsupported 8:17 ${msg["fault-device-unsupported"]("eth0", "timer", ["ide-disk", "gige-nic"]).message}`]);
  });

  it("refuses a fault that says what but not when, and one both timed and random", async () => {
    expect((await diagnostics(base("  inject:\n    f: {device: eth0, fault: crash}"))).map((d) => d.code)).to.deep.equal(["fault-trigger-missing"]);
    const both = await diagnostics(base("  inject:\n    f: {device: eth0, at: 1 ms, probability: 0.1}"));
    expect(brief(both)).to.deep.equal([`fault-trigger-both 8:33 ${msg["fault-trigger-both"]("f").message}`]);
  });

  it("refuses faults on a user-level NIC behind TUN/TAP (recovery is modelled with the shared rings)", async () => {
    const ds = await diagnostics(base("  inject:\n    f: {device: eth0, at: 1 ms}", "gige-nic", "placement: user, loopback: tap"));
    expect(ds.map((d) => d.code)).to.deep.equal(["fault-recovery-tap"]);
  });

  it("checks bounds: a probability is at most 1, at least two missed heartbeats, a policy from the list", async () => {
    const codes = async (f: string) => (await diagnostics(base(f))).map((d) => d.code);
    expect(await codes("  inject:\n    f: {device: eth0, probability: 1.5}")).to.have.length(1);
    expect(await codes("  inject:\n    f: {device: eth0, at: 1 ms}\n  supervisor: {missed: 1}")).to.have.length(1);
    expect(await codes("  inject:\n    f: {device: eth0, at: 1 ms}\n  supervisor: {in_flight: retry}")).to.have.length(1);
    expect(await codes("  inject:\n    f: {device: eth0, at: 5 parsecs}")).to.have.length(1);
  });

  it("checks each run.quick value where --quick would write it (a fault's time, say), located at its line", async () => {
    const text = base("  inject:\n    f: {device: eth0, at: 1 ms}") + "run:\n  quick:\n    faults.inject.f.at: 5 parsecs\n";
    const ds = await diagnostics(text, true);
    expect(ds.map((d) => [d.code, d.range?.start.line])).to.deep.equal([["unit-unknown", 11]]);
  });
});
