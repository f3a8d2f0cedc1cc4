import path from "node:path";
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { memoryIo } from "../../cli/io.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { evaluateCheck, evaluateExpectations, notChecked } from "../../src/run/expect.js";
import { parseMetricValue } from "../../src/run/metric-values.js";
import { fig4Metrics, syntheticDoc } from "../report/synthetic.js";

const USER = { "devices.eth0.driver.placement": "user" };
const KERNEL = { "devices.eth0.driver.placement": "kernel" };
const fixture = (f: string) => path.join("test", "fixtures", "expect", f);

async function cli(args: string[]) {
  const io = memoryIo({});
  const code = await runCli(args, { ...io, cwd: packagePath() });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("expect: checks", () => {
  it("compare the peak of one selection with a factor of another's (user peak ≥ 90% of kernel peak)", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const check = { metric: "throughput_bits_per_s", where: USER, at: "peak" as const, op: ">=" as const, ratio: { where: KERNEL, at: "peak" as const, factor: 0.9 } };
    expect(evaluateCheck(doc, { name: "user keeps 90%", ...check })).to.deep.equal({
      name: "user keeps 90%",
      passed: true,
      detail: "peak 790 Mb/s at p98 (placement=user offered_load=790 Mb/s) >= 0.9 × 850 Mb/s at p49",
    });
    const strict = evaluateCheck(doc, { ...check, ratio: { ...check.ratio, factor: 0.95 } });
    expect(strict.passed).to.equal(false);
    expect(strict.detail).to.equal("peak 790 Mb/s at p98 (placement=user offered_load=790 Mb/s) is not >= 0.95 × 850 Mb/s at p49");
    expect(strict.name).to.equal("throughput_bits_per_s peak of placement=user >= 0.95 × placement=kernel peak");
  });

  it("pair each point with its counterpart when both sides take all points", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const r = evaluateCheck(doc, { metric: "cpu_utilization", where: USER, op: ">", ratio: { where: KERNEL } });
    expect(r.passed).to.equal(true);
    expect(r.detail).to.match(/^all 50 points; closest: 0\.9% at p50 \(placement=user offered_load=10 Mb\/s\) > 0\.8% at p00$/);
  });

  it("read values in the metric's unit: data rates, percentages, plain fractions", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const at = { "workload.offered_load": "500 Mb/s", ...KERNEL };
    expect(evaluateCheck(doc, { metric: "throughput_bits_per_s", where: at, at: "point", op: "==", value: "500 Mb/s" }).passed).to.equal(true);
    expect(evaluateCheck(doc, { metric: "cpu_utilization", where: at, at: "point", op: "<", value: "40%" }).passed).to.equal(true);
    expect(evaluateCheck(doc, { metric: "cpu_utilization", where: at, at: "point", op: "<", value: 0.39 }).passed).to.equal(false);
    expect(parseMetricValue("cpu_utilization", "61 %")).to.deep.equal({ ok: true, si: 0.61 });
    expect(parseMetricValue("throughput_bits_per_s", "0.85 Gb/s")).to.deep.equal({ ok: true, si: 850e6 });
  });

  it("leave a standard deviation unchecked in a --quick run (one repetition), and check it otherwise", async () => {
    const withSd = (params: Record<string, unknown>, i: number) => ({ ...fig4Metrics(params, i), cpu_breakdown_sd: { driver: 0.002 } });
    const c = { metric: "cpu_breakdown_sd.driver", where: USER, op: "<" as const, value: 0.01 };
    const quick = await syntheticDoc("paper-fig4.yaml", fig4Metrics, { quick: true });
    const skipped = evaluateCheck(quick, c);
    expect(skipped).to.deep.include({ passed: true });
    expect(notChecked(skipped)).to.equal(true);
    expect(skipped.detail).to.equal("not checked: --quick runs one repetition, so there is no standard deviation");
    // Without --quick a missing deviation fails, and a present one is checked.
    expect(evaluateCheck(await syntheticDoc("paper-fig4.yaml", fig4Metrics), c).passed).to.equal(false);
    const full = evaluateCheck(await syntheticDoc("paper-fig4.yaml", withSd), c);
    expect(full.passed).to.equal(true);
    expect(notChecked(full)).to.equal(false);
    expect(evaluateCheck(await syntheticDoc("paper-fig4.yaml", withSd), { ...c, value: 0.001 }).passed).to.equal(false);
  });

  it("apply a relative tolerance to == and !=", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const c = { metric: "throughput_bits_per_s", where: KERNEL, at: "peak" as const, op: "==" as const, value: "860 Mb/s" };
    expect(evaluateCheck(doc, c).passed).to.equal(false);
    expect(evaluateCheck(doc, { ...c, tolerance: 0.02 }).passed).to.equal(true);
    expect(evaluateCheck(doc, { ...c, op: "!=", tolerance: 0.02 }).passed).to.equal(false);
  });

  it("fail, saying why, when the selection is empty, ambiguous for at: point, or the value unreadable", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    const none = evaluateCheck(doc, { metric: "cpu_utilization", where: { "workload.offered_load": "15 Mb/s" }, op: "<", value: 1 });
    expect(none).to.include({ passed: false, detail: "no point matches offered_load=15 Mb/s" });
    const two = evaluateCheck(doc, { metric: "cpu_utilization", where: { "workload.offered_load": "500 Mb/s" }, at: "point", op: "<", value: 1 });
    expect(two).to.include({ passed: false, detail: "offered_load=500 Mb/s selects 2 points; at: point needs exactly one" });
    const bad = evaluateCheck(doc, { metric: "throughput_bits_per_s", op: "<", value: "lots" });
    expect(bad.passed).to.equal(false);
    expect(bad.detail).to.match(/^value: /);
    const missing = evaluateCheck(doc, { metric: "latency_s.p99", op: "<", value: "1 ms" });
    expect(missing).to.include({ passed: false, detail: "p00 has no latency_s.p99" });
  });

  it("judge only finished points, and say how many were left out", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", (p, i) => (i % 2 ? undefined : fig4Metrics(p, i)));
    const r = evaluateCheck(doc, { metric: "cpu_utilization", where: KERNEL, op: "<", value: 1 });
    expect(r.passed).to.equal(true);
    expect(r.detail).to.match(/ \(25 selected points not finished\)$/);
    const gone = await syntheticDoc("paper-fig4.yaml", () => undefined);
    expect(evaluateCheck(gone, { metric: "cpu_utilization", where: KERNEL, at: "peak", op: "<", value: 1 }).detail).to.match(/^no finished point matches placement=kernel/);
  });

  it("are read from the document itself, so a merged document is judged the same way", async () => {
    const doc = await syntheticDoc("paper-fig4.yaml", fig4Metrics);
    expect(evaluateExpectations(doc)).to.deep.equal([]);
    doc.scenario.normalised.expect = [{ name: "x", metric: "cpu_utilization", op: "<", value: 1 }];
    expect(evaluateExpectations(doc).map((x) => x.passed)).to.deep.equal([true]);
  });
});

describe("loopdrv run with expect:", function () {
  this.timeout(60_000);

  it("exits 0 when every check passes and records each outcome in the results document", async () => {
    const r = await cli(["run", fixture("smoke-pass.yaml"), "--quick", "--json", "--no-cache"]);
    expect(r.code, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(packagePath("schema", "results.schema.json"), "utf8")));
    expect(validate(doc), JSON.stringify(validate.errors)).to.equal(true);
    expect(doc.expect.map((x: { name: string; passed: boolean }) => [x.name, x.passed])).to.deep.equal([
      ["a user-level driver costs more CPU than an in-kernel one at every rate", true],
      ["an in-kernel driver is never activated as a process", true],
      ["CPU stays under 70%", true],
      ["every tick is an interrupt at 1000/s", true],
    ]);
    expect(r.stderr).to.include("expect: 4 passed, 0 failed");
  });

  it("exits 1 when a check fails and lists the failure", async () => {
    const r = await cli(["run", fixture("smoke-fail.yaml"), "--quick", "--no-cache"]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include("expect: 1 passed, 1 failed");
    expect(r.stderr).to.match(/\n {2}FAIL CPU stays under 50% \(it cannot: the process alone takes half\) — \d+\.\d% at p0 \(placement=kernel rate=1000\/s\) is not < 50\.0% \(and 5 more of 6\)\n/);
    // --quiet prints no summary, but still what failed (a cluster job's log has nothing else).
    const quiet = await cli(["run", fixture("smoke-fail.yaml"), "--quick", "--no-cache", "--quiet"]);
    expect(quiet.code).to.equal(1);
    expect(quiet.stderr).to.match(/^expect: 1 passed, 1 failed\n {2}pass .*\n {2}FAIL CPU stays under 50%/);
    const passing = await cli(["run", fixture("smoke-pass.yaml"), "--quick", "--no-cache", "--quiet"]);
    expect([passing.code, passing.stderr]).to.deep.equal([0, ""]);
  });
});
