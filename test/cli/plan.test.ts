/** `loopdrv plan`: the point table, the JSON form, one point's provenance, --set and --quick. */
import { expect } from "chai";
import { EXIT } from "../../cli/exit-codes.js";
import { cli } from "../helpers/cli.js";
import path from "node:path";
import { invalidFixture, positionOf, ROOT, scenario, validFixture } from "../helpers/fixtures.js";

describe("cli: plan", () => {
  const GIGE_USER = scenario("gige-user.yaml");
  const GIGE_KERNEL = scenario("gige-kernel.yaml");
  const placement = () => positionOf(GIGE_USER, "placement: user", "user");
  const loadAxis = () => positionOf(GIGE_KERNEL, "workload.offered_load: {", "{");

  it("exits 0 and says how many points and which axes", async () => {
    const r = await cli(["plan", GIGE_USER]);
    expect(r.code).to.equal(EXIT.ok);
    expect(r.stdout.split("\n").slice(0, 2)).to.deep.equal([`gige-user (${GIGE_USER})`, "10 points: workload.offered_load × 10"]);
  });

  it("prints a table with one row per point and a column per swept path", async () => {
    const { stdout } = await cli(["plan", GIGE_USER]);
    const loads = ["100 Mb/s", "200 Mb/s", "300 Mb/s", "400 Mb/s", "500 Mb/s", "600 Mb/s", "700 Mb/s", "800 Mb/s", "900 Mb/s", "1 Gb/s"];
    const expected = ["  point  workload.offered_load", ...loads.map((l, i) => `  p${i}     ${l}`)];
    const lines = stdout.split("\n");
    const at = lines.indexOf(expected[0]!);
    expect(lines.slice(at, at + expected.length)).to.deep.equal(expected);
  });

  it("refuses a check of a standard deviation when the file runs one repetition, with --quick too", async () => {
    for (const flags of [[], ["--quick"]]) {
      const r = await cli(["plan", invalidFixture("expect-metric-sd-one-repetition.yaml"), ...flags]);
      expect(r.code, flags.join(" ")).to.equal(EXIT.badInput);
      expect(r.stderr).to.include("[metric-sd-one-repetition]");
    }
  });

  it("warns of a fault timed after the run ends, and says how --quick moves the end", async () => {
    const file = path.join(ROOT, "test", "fixtures", "warn", "fault-after-run.yaml");
    const full = await cli(["validate", file]);
    expect(full.code).to.equal(EXIT.ok);
    expect(full.stderr).to.include(':7:11: warning: fault "driver" (at 5 s) comes after the run ends (at 1.1 s): it never strikes [fault-after-run]');
    const quick = await cli(["plan", scenario("gige-user-crash.yaml"), "--quick", "--set", "faults.inject.driver.at=1 s"]);
    expect(quick.code).to.equal(EXIT.ok);
    expect(quick.stderr).to.include("comes after the run ends").and.include("--quick shortens the run");
    expect((await cli(["plan", scenario("gige-user-crash.yaml"), "--quick"])).stderr).not.to.include("[fault-after-run]");
    // `validate --quick` checks the points a quick run would run.
    const inside = path.join(ROOT, "test", "fixtures", "warn", "fault-quick.yaml");
    expect((await cli(["validate", inside])).stderr).not.to.include("[fault-after-run]");
    const v = await cli(["validate", "--quick", inside]);
    expect(v.code).to.equal(EXIT.ok);
    expect(v.stdout).to.equal("ok    test/fixtures/warn/fault-quick.yaml (1 point, quick)\n".replace("test/fixtures/warn/fault-quick.yaml", inside));
    expect(v.stderr).to.include('warning: fault "driver" (at 50 ms) comes after the run ends (at 10 ms): it never strikes [fault-after-run]');
    // A run.quick entry's own time: the warning points at that entry.
    const block = await cli(["validate", "--quick", path.join(ROOT, "test", "fixtures", "warn", "fault-quick-block.yaml")]);
    expect(block.stderr).to.include("fault-quick-block.yaml:8:30: warning:").and.include("hint: this `run.quick` value is later than the quick run's end");
  });

  it("lists a --set path with its value among the shared ones, not as a swept column", async () => {
    const { stdout } = await cli(["plan", GIGE_USER, "--set", "devices.eth0.holdoff.itr=8000/s"]);
    expect(stdout).to.include("  point  workload.offered_load\n");
    expect(stdout).to.match(/^ {2}devices\.eth0\.holdoff\.itr +125 us \(8000\/s\) +--set \(col 26\)$/m);
  });

  it("lists the values every point shares with where they came from", async () => {
    const { stdout } = await cli(["plan", GIGE_USER]);
    expect(stdout).to.match(new RegExp(`^ {2}devices\\.eth0\\.driver\\.placement +user +file ${GIGE_USER}:${placement().line}$`, "m"));
    expect(stdout).to.match(/^ {2}workload\.offered_load +\(swept\) +/m);
  });

  it("prints JSON that parses, with one entry per point and its params", async () => {
    const r = await cli(["plan", GIGE_USER, "--json"]);
    expect(r.code).to.equal(EXIT.ok);
    const j = JSON.parse(r.stdout) as { points_total: number; points: { id: string; params: Record<string, unknown> }[] };
    expect(j.points_total).to.equal(10);
    expect(j.points.map((p) => [p.id, p.params])).to.deep.equal(
      Array.from({ length: 10 }, (_, i) => [`p${i}`, { "workload.offered_load": (i + 1) * 100e6 }]),
    );
  });

  it("gives each JSON point its provenance, by dotted path", async () => {
    const j = JSON.parse((await cli(["plan", GIGE_USER, "--json"])).stdout);
    expect(j.points[3].provenance["devices.eth0.driver.placement"]).to.deep.equal({ kind: "file", file: GIGE_USER, ...placement() });
    expect(j.points[3].provenance["workload.offered_load"]).to.deep.equal({
      kind: "sweep",
      file: GIGE_KERNEL,
      ...loadAxis(),
      chain: [GIGE_USER, GIGE_KERNEL],
    });
  });

  it("shows every resolved parameter of one point with where it came from for --point p3", async () => {
    const r = await cli(["plan", GIGE_USER, "--point", "p3"]);
    expect(r.code).to.equal(EXIT.ok);
    expect(r.stdout.split("\n")[0]).to.equal(`gige-user (${GIGE_USER}), point p3`);
    expect(r.stdout).to.match(/^ {2}parameter +value +from$/m);
    expect(r.stdout).to.match(new RegExp(`^ {2}workload\\.offered_load +400 Mb/s +sweep ${GIGE_KERNEL}:${loadAxis().line}$`, "m"));
    expect(r.stdout).to.match(/^ {2}machine\.clock +900 MHz +preset hp-zx2000: /m);
    expect(r.stdout).to.match(/^ {2}devices\.eth0\.driver\.loopback_ring +256 +default$/m);
  });

  it("accepts a point's index for --point", async () => {
    const byIndex = await cli(["plan", GIGE_USER, "--point", "3"]);
    const byId = await cli(["plan", GIGE_USER, "--point", "p3"]);
    expect(byIndex).to.deep.equal(byId);
  });

  it("exits 2 for a --point the plan does not have, naming the range it has", async () => {
    const r = await cli(["plan", GIGE_USER, "--point", "p99"]);
    expect(r.code).to.equal(EXIT.badInput);
    expect(r.stderr).to.include("p0 … p9");
  });

  it("says when a --set replaces a sweep axis", async () => {
    const r = await cli(["plan", GIGE_USER, "--set", "workload.offered_load=850 Mb/s"]);
    expect(r.stdout).to.include("note: --set workload.offered_load=850 Mb/s replaces the sweep axis workload.offered_load\n");
    expect(r.stdout.split("\n")[1]).to.equal("1 point: no sweep");
  });

  it("lists replaced axes in the JSON plan", async () => {
    const j = JSON.parse((await cli(["plan", GIGE_USER, "--json", "--set", "workload.offered_load=850 Mb/s"])).stdout);
    expect(j.replaced_axes).to.deep.equal([{ path: "workload.offered_load", text: "workload.offered_load=850 Mb/s" }]);
  });

  it("marks a --quick plan in the header and in JSON", async () => {
    expect((await cli(["plan", GIGE_USER, "--quick"])).stdout.split("\n")[0]).to.equal(`gige-user (${GIGE_USER}) — quick`);
    expect(JSON.parse((await cli(["plan", GIGE_USER, "--quick", "--json"])).stdout).quick).to.equal(true);
  });

  it("counts excluded points in the header", async () => {
    const r = await cli(["plan", validFixture("sweep-zip.yaml"), "--set", "devices.eth0.driver.placement=user"]);
    expect(r.stdout.split("\n")[1]).to.match(/^3 points: /);
  });

  it("exits 2 for an invalid scenario and prints nothing on stdout", async () => {
    const r = await cli(["plan", invalidFixture("sweep-zip-length.yaml")]);
    expect([r.code, r.stdout]).to.deep.equal([EXIT.badInput, ""]);
    expect(r.stderr).to.include("[sweep-zip-length]");
  });

  it("exits 2 for a sweep over 10,000 points", async () => {
    expect((await cli(["plan", invalidFixture("sweep-too-many-points.yaml")])).code).to.equal(EXIT.badInput);
  });
});
