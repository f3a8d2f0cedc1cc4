import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { msg } from "../../src/diag/messages.js";
import { cli } from "../helpers/cli.js";
import { scenario } from "../helpers/fixtures.js";

const SMOKE = scenario("core-smoke.yaml");
const RUN = ["run", SMOKE, "--quick", "--json", "--quiet"];

describe("loopdrv merge", function () {
  this.timeout(120_000);
  let dir: string;
  let single: string;
  before(async () => {
    single = (await cli(RUN)).stdout;
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "loopdrv-merge-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Run every shard of n (optionally with extra run arguments for one of them); return the files. */
  async function shards(n: number, extra: Record<number, string[]> = {}): Promise<string[]> {
    const files: string[] = [];
    for (let i = 1; i <= n; i++) {
      const r = await cli([...RUN, "--shard", `${i}/${n}`, ...(extra[i] ?? [])]);
      expect(r.code, r.stderr).to.equal(0);
      const file = path.join(dir, `shard-${i}-of-${n}.json`);
      writeFileSync(file, r.stdout);
      files.push(file);
    }
    return files;
  }

  it("gives the single run's document byte for byte, without `shard`, for any number of shards", async () => {
    for (const n of [1, 2, 3, 4, 6, 7]) {
      const files = await shards(n);
      const r = await cli(["merge", ...files.reverse()]);
      expect(r.code, `${n}: ${r.stderr}`).to.equal(0);
      expect(r.stdout, `${n} shards`).to.equal(single);
      expect(r.stderr).to.include(`merged ${n} document`);
    }
  });

  it("judges `expect` over all points, as the single run does, and exits 1 when one fails", async () => {
    const file = path.join(dir, "with-expect.yaml");
    writeFileSync(
      file,
      [
        `extends: ${JSON.stringify(path.resolve(SMOKE))}`,
        "expect:",
        "  - name: user costs more CPU",
        "    metric: cpu_utilization",
        "    where: {devices.tick.driver.placement: user}",
        '    op: ">"',
        "    ratio: {where: {devices.tick.driver.placement: kernel}, factor: 1}",
        "  - name: below ten percent",
        "    metric: cpu_utilization",
        '    op: "<"',
        "    value: 0.1",
        "",
      ].join("\n"),
    );
    const args = ["run", file, "--quick", "--json", "--quiet"];
    const whole = await cli(args);
    expect(whole.code).to.equal(1);
    const files: string[] = [];
    for (const i of [1, 2, 3]) {
      const r = await cli([...args, "--shard", `${i}/3`]);
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout).expect).to.deep.equal([]);
      files.push(path.join(dir, `s${i}.json`));
      writeFileSync(files.at(-1)!, r.stdout);
    }
    const merged = await cli(["merge", ...files]);
    expect(merged.code).to.equal(1);
    expect(merged.stdout).to.equal(whole.stdout);
    expect(JSON.parse(merged.stdout).expect.map((x: { passed: boolean }) => x.passed)).to.deep.equal([true, false]);
    // Listed on stderr as `run` lists them, the failure too with --quiet.
    expect(merged.stderr).to.include("expect: 1 passed, 1 failed").and.include("  FAIL below ten percent — ");
    const quiet = await cli(["merge", ...files, "--quiet"]);
    expect(quiet.stderr).to.include("  FAIL below ten percent — ");
  });

  it("writes into --out DIR the files a single run's --out writes, and nothing on stdout", async () => {
    const files = await shards(2);
    const out = path.join(dir, "merged");
    const r = await cli(["merge", ...files, "--out", out]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal("");
    const runOut = path.join(dir, "single");
    expect((await cli(["run", SMOKE, "--quick", "--quiet", "--out", runOut])).code).to.equal(0);
    expect(readdirSync(out).sort()).to.deep.equal(readdirSync(runOut).sort());
    expect(readFileSync(path.join(out, "results.json"), "utf8")).to.equal(single);
    expect(readFileSync(path.join(out, "results.csv"), "utf8")).to.equal(readFileSync(path.join(runOut, "results.csv"), "utf8"));
  });

  it("merges shards whose points ran in worker threads", async () => {
    const files = await shards(2, { 1: ["--jobs", "2"], 2: ["--jobs", "2"] });
    expect((await cli(["merge", ...files])).stdout).to.equal(single);
  });

  it("refuses shards of different seeds, with exit 2 and the file:line:col of the seed", async () => {
    const files = await shards(2, { 2: ["--seed", "7"] });
    const r = await cli(["merge", ...files]);
    expect(r.code).to.equal(2);
    expect(r.stdout).to.equal("");
    const line = readFileSync(files[1]!, "utf8").split("\n").findIndex((l) => l.startsWith('  "seed"')) + 1;
    expect(r.stderr).to.include(`${files[1]!}:${line}:3: error: ${msg["merge-mismatch"]("the seed", "7", "1", files[0]!).message} [merge-mismatch]`);
    expect(r.stderr).not.to.match(/\n\s+at /);
  });

  it("refuses shards of different scenarios, naming the first parameter that differs", async () => {
    const files = await shards(2, { 1: ["--set", "devices.tick.isr_cost=3000 cycles"] });
    const r = await cli(["merge", ...files]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/scenario\.normalised\.devices\.tick\.isr_cost is [0-9.e-]+ here but [0-9.e-]+ in /);
    expect(r.stderr).to.include("[merge-mismatch]");
  });

  it("merges shards that read the same scenario through different paths, with a warning", async () => {
    const files = await shards(2);
    const doc2 = JSON.parse(readFileSync(files[1]!, "utf8"));
    writeFileSync(files[1]!, JSON.stringify({ ...doc2, scenario: { ...doc2.scenario, file: "../elsewhere/core-smoke.yaml" } }, null, 2));
    const r = await cli(["merge", ...files]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(single);
    expect(r.stderr).to.include('warning: the scenario was read from "../elsewhere/core-smoke.yaml" here and from').and.include("[merge-file-differs]");
    expect((await cli(["merge", ...files, "--quiet"])).stderr).to.equal("");
    // A path that differs is no reason to refuse, nor the reason named when something else differs.
    writeFileSync(files[1]!, JSON.stringify({ ...doc2, scenario: { ...doc2.scenario, file: "../elsewhere/core-smoke.yaml", normalised: { ...doc2.scenario.normalised, description: "changed" } } }, null, 2));
    const other = await cli(["merge", ...files]);
    expect(other.code).to.equal(2);
    expect(other.stderr).to.include("scenario.normalised.description is").and.not.include("scenario.file is");
  });

  it("refuses a quick shard with a full one, and shards of another model version", async () => {
    const files = await shards(2);
    const doc2 = JSON.parse(readFileSync(files[1]!, "utf8"));
    writeFileSync(files[1]!, JSON.stringify({ ...doc2, quick: false }, null, 2));
    let r = await cli(["merge", ...files]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("the quick flag is false here but true in");
    writeFileSync(files[1]!, JSON.stringify({ ...doc2, model_version: "0123456789abcdef" }, null, 2));
    r = await cli(["merge", ...files]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('model_version is "0123456789abcdef" here but');
  });

  it("refuses a missing shard, a shard given twice, and shards cut n ways for different n", async () => {
    const three = await shards(3);
    let r = await cli(["merge", three[0]!, three[2]!]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(msg["merge-missing-shard"]("2", 3).message);
    r = await cli(["merge", three[0]!, three[1]!, three[2]!, three[1]!]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(msg["merge-duplicate-shard"]("2/3", three[1]!).message);
    const two = await shards(2);
    r = await cli(["merge", three[0]!, two[1]!]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(msg["merge-shard-count"](2, 3, three[0]!).message);
  });

  it("refuses a point in the wrong shard, a point given twice and a missing point, located", async () => {
    const files = await shards(2);
    const a = JSON.parse(readFileSync(files[0]!, "utf8"));
    const b = JSON.parse(readFileSync(files[1]!, "utf8"));
    // p1 (shard 2) copied into shard 1.
    writeFileSync(files[0]!, JSON.stringify({ ...a, points: [...a.points, b.points[0]] }, null, 2));
    let r = await cli(["merge", ...files]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(msg["merge-point-shard"]("p1", "2/2", "1/2").message);
    expect(r.stderr).to.match(new RegExp(`${files[0]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: error`));
    // Two documents both claiming to be shard 1/1 with the same points.
    const whole = path.join(dir, "whole.json");
    writeFileSync(whole, single);
    r = await cli(["merge", whole, whole]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("[merge-duplicate-shard]");
    // A point removed from the middle of a shard.
    writeFileSync(files[0]!, JSON.stringify({ ...a, points: [a.points[0], a.points[2]] }, null, 2));
    r = await cli(["merge", ...files]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("[merge-missing-points]").and.include("p2");
  });

  it("refuses files that are not JSON or not results documents, and files it cannot read", async () => {
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, '{\n  "format": "loopdrv-results/1",\n  "points": [\n}');
    let r = await cli(["merge", bad]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`${bad}:`).and.include("[merge-not-json]");
    // Not JSON at all (a README given by mistake): the parser's message on one line, without the text it quotes.
    writeFileSync(bad, "# loopdrv\n\nA scenario runner.\n");
    r = await cli(["merge", bad]);
    expect(r.stderr).to.include(`${bad}:1:1: error: not JSON: Unexpected token '#' [merge-not-json]\n`);
    writeFileSync(bad, JSON.stringify({ format: "something-else/2", points: [] }, null, 2));
    r = await cli(["merge", bad]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`${bad}:2:3: error: ${msg["merge-not-results"]("something-else/2").message}`);
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(single), shard: { index: 4, count: 3 } }, null, 2));
    r = await cli(["merge", bad]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(msg["merge-shard-invalid"]('{"index":4,"count":3}').message).and.include("[merge-shard-invalid]");
    r = await cli(["merge", path.join(dir, "nowhere.json")]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include("no such file").and.include("[merge-unreadable]");
    r = await cli(["merge"]);
    expect(r.code).to.equal(2);
  });

  it("marks the merged document partial when a shard was stopped early, warns, and exits 130 as the stopped run did", async () => {
    const files = await shards(2);
    const b = JSON.parse(readFileSync(files[1]!, "utf8"));
    b.partial = true;
    b.points[2] = { id: b.points[2].id, params: b.points[2].params, status: "not-run", metrics: {} };
    writeFileSync(files[1]!, JSON.stringify(b, null, 2));
    const r = await cli(["merge", ...files]);
    expect(r.code).to.equal(130);
    expect(JSON.parse(r.stdout).partial).to.equal(true);
    expect(r.stderr).to.include("warning: 1 point was not run");
  });

  it("exits 3 when a merged point failed, as the single run would", async () => {
    const files = await shards(2);
    const a = JSON.parse(readFileSync(files[0]!, "utf8"));
    a.points[1] = { ...a.points[1], status: "failed", error: "internal error (a bug in loopdrv): boom", metrics: {} };
    writeFileSync(files[0]!, JSON.stringify(a, null, 2));
    const r = await cli(["merge", ...files]);
    expect(r.code).to.equal(3);
    expect(JSON.parse(r.stdout).points[2].status).to.equal("failed");
  });
});
