/**
 * Normalisation (normalise.ts): every point of every shipped scenario becomes a complete
 * model in SI units, and every value says where it came from.
 */
import { expect } from "chai";
import { COST_NAMES } from "../../src/dsl/normalised.js";
import { presetNote, presets } from "../../src/dsl/presets.js";
import { planOk, scenario, shippedScenarios, validFixture } from "../helpers/fixtures.js";
import { TmpDir, yaml } from "../helpers/tmp.js";

const KiB = 1024;
const MiB = 1024 * KiB;

describe("normalisation", () => {
  describe("every shipped scenario", () => {
    for (const name of shippedScenarios()) {
      it(`${name} normalises with every machine cost present, finite and not negative`, async () => {
        const plan = await planOk(scenario(name));
        const missing: string[] = [];
        for (const p of plan.points) {
          const costs = p.scenario.machine.costs as Record<string, unknown>;
          for (const c of [...COST_NAMES, "copy_per_byte"]) {
            const v = costs[c];
            if (typeof v !== "number" || !Number.isFinite(v) || v < 0) missing.push(`${p.id} ${c}=${String(v)}`);
          }
        }
        expect(missing).to.deep.equal([]);
      });
    }

    it("give every point a run with a positive duration and a seed", async () => {
      for (const name of shippedScenarios()) {
        const plan = await planOk(scenario(name));
        for (const p of plan.points) {
          expect(p.scenario.run.duration, `${name} ${p.id}`).to.be.greaterThan(0);
          expect(Number.isInteger(p.scenario.run.seed), `${name} ${p.id}`).to.equal(true);
        }
      }
    });
  });

  describe("SI conversion", () => {
    let pt: Awaited<ReturnType<typeof planOk>>["points"][number];
    before(async () => {
      pt = (await planOk(scenario("gige-kernel.yaml"))).points[0]!;
    });

    const workload = () => pt.scenario.workload as Record<string, unknown>;
    const eth0 = () => pt.scenario.devices.eth0 as unknown as Record<string, unknown> & { holdoff: Record<string, number> };

    it("reads a clock in MHz as Hz", () => expect(pt.scenario.machine.clock).to.equal(900e6));
    it("reads a page size in KiB as bytes", () => expect(pt.scenario.machine.page_size).to.equal(16 * KiB));
    it("reads a payload in B as bytes", () => expect(workload().payload).to.equal(1024));
    it("reads socket buffers in KiB as bytes", () => expect([workload().rcvbuf, workload().sndbuf]).to.deep.equal([256 * KiB, 256 * KiB]));
    it("reads an offered load in Mb/s as bit/s", () => expect(workload().offered_load).to.equal(100e6));
    it("reads a link rate in Gb/s as bit/s", () => expect(eth0().link_rate).to.equal(1e9));
    it("reads a warm-up in ms as seconds", () => expect(pt.scenario.run.warmup).to.equal(0.2));
    it("reads an ITR written as a rate, 2000/s, as its interval in seconds", () => expect(eth0().holdoff.itr).to.equal(1 / 2000));
    it("reads an interval in us as seconds", () => expect(eth0().holdoff.radv).to.equal(131.072e-6));
    it("reads a cost in cycles as seconds at the machine's clock", () => expect(pt.scenario.machine.costs.irq_entry).to.equal(600 / 900e6));
    it("reads a cost in ns as seconds", () => expect(pt.scenario.machine.costs.reg_read).to.equal(700e-9));
    it("reads a transfer size in sectors as bytes", async () => {
      const disk = (await planOk(validFixture("disk.yaml"))).points[0]!;
      expect([disk.scenario.workload.transfer_size, disk.scenario.workload.bytes]).to.deep.equal([8 * 512, 4 * MiB]);
    });
  });

  describe("provenance", () => {
    it("carries each machine preset value's source or provisional note", async () => {
      const pt = (await planOk(scenario("gige-kernel.yaml"))).points[0]!;
      const preset = presets().get("hp-zx2000")!;
      const notes = preset.values.map((v) => [v.path, pt.provenance.get(`machine.${v.path}`)?.note]);
      expect(notes).to.deep.equal(preset.values.map((v) => [v.path, presetNote(preset, v.path)]));
    });

    it("carries each device preset value's source, except where the scenario overrides it", async () => {
      const pt = (await planOk(scenario("ide-kernel.yaml"))).points[0]!;
      const preset = presets().get("maxtor-diamondmax-plus-9")!;
      for (const v of preset.values) {
        const o = pt.provenance.get(`devices.hda.${v.path}`)!;
        expect([v.path, o.kind, o.note]).to.deep.equal([v.path, "preset", presetNote(preset, v.path)]);
      }
    });

    it("points a preset value at its line in the preset file", async () => {
      const pt = (await planOk(scenario("gige-kernel.yaml"))).points[0]!;
      const o = pt.provenance.get("machine.clock")!;
      expect(o.range?.file).to.equal("<preset hp-zx2000>");
      expect(o.range?.start.line).to.be.greaterThan(0);
    });

    it("says that every preset value has a source or is marked provisional", () => {
      const bare = [...presets().values()].flatMap((p) => p.values.filter((v) => !v.source && !v.provisional).map((v) => `${p.name}: ${v.path}`));
      expect(bare).to.deep.equal([]);
    });

    it("gives every leaf of every point a provenance", async () => {
      const plan = await planOk(scenario("gige-user.yaml"));
      const leaves = (o: unknown, prefix: string): string[] =>
        o && typeof o === "object" && !Array.isArray(o)
          ? Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
          : [prefix];
      for (const p of plan.points) {
        const missing = leaves(p.scenario, "").filter((k) => !p.provenance.has(k));
        expect(missing, p.id).to.deep.equal([]);
      }
    });
  });

  describe("defaults", () => {
    const tmp = new TmpDir();
    after(() => tmp.remove());

    it("assigns interrupt lines from 16 in device-name order, skipping lines taken", async () => {
      const plan = await planOk(
        tmp.write(yaml`
          name: irqs
          devices:
            zz:
              type: timer
            aa:
              type: timer
            mm:
              type: timer
              irq: 17
          workload:
            type: cpu-hog
        `),
      );
      const d = plan.points[0]!.scenario.devices;
      expect([d.aa!.irq, d.mm!.irq, d.zz!.irq]).to.deep.equal([16, 17, 18]);
    });

    it("caps a disk-read point at 1000 s unless run.duration is given (1 s would fail 64 MiB of reads)", async () => {
      const minimal = "devices: {hda: {type: ide-disk}}\nworkload: {type: disk-read, device: hda, transfer_size: 64 KiB}\n";
      const plan = await planOk(tmp.write(minimal));
      expect(plan.points[0]!.scenario.run.duration).to.equal(1000);
      expect(plan.points[0]!.provenance.get("run.duration")).to.deep.equal({ kind: "default", note: "for disk-read: a cap; the point ends when its reads are done" });
      const given = await planOk(tmp.write(`${minimal}run: {duration: 5 s}\n`));
      expect(given.points[0]!.scenario.run.duration).to.equal(5);
      const echo = await planOk(validFixture("nic.yaml"));
      expect(echo.points[0]!.scenario.run.duration).to.not.equal(1000);
    });

    it("names the scenario after its file when it has no `name`", async () => {
      const plan = await planOk(tmp.write("devices: {t: {type: timer}}\nworkload: {type: cpu-hog}\n", "unnamed-thing.yaml"));
      expect(plan.points[0]!.scenario.name).to.equal("unnamed-thing");
    });

    it("starts the machine from the hp-zx2000 preset when none is named", async () => {
      const plan = await planOk(tmp.write("devices: {t: {type: timer}}\nworkload: {type: cpu-hog}\n"));
      expect(plan.points[0]!.scenario.machine.clock).to.equal(900e6);
    });
  });
});
