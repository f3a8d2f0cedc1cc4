/**
 * `loopdrv run --watch` through the CLI in memory (no terminal: plain lines): options it
 * refuses, --out rewritten after each rerun, exit codes by the way the watch ended.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { memoryIo, type Io } from "../../cli/io.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { cli } from "../helpers/cli.js";
import { TmpDir } from "../helpers/tmp.js";

const SMOKE = readFileSync(packagePath("scenarios", "core-smoke.yaml"), "utf8");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe("run --watch (CLI)", function () {
  this.timeout(60_000);
  let tmp: TmpDir;
  beforeEach(() => (tmp = new TmpDir()));
  afterEach(() => tmp.remove());

  it("refuses --json and --shard as usage errors, saying what to use instead", async () => {
    const json = await cli(["run", "--watch", "scenarios/core-smoke.yaml", "--json"]);
    expect(json.code).to.equal(2);
    expect(json.stderr).to.include("--watch cannot be used with --json");
    expect(json.stderr).to.include("--out DIR rewrites results.json");
    expect(json.stdout).to.equal("");
    const shard = await cli(["run", "-w", "scenarios/core-smoke.yaml", "--shard", "1/2"]);
    expect(shard.code).to.equal(2);
    expect(shard.stderr).to.include("--watch cannot be used with --shard");
  });

  it("refuses a scenario file that does not exist instead of waiting for it", async () => {
    const r = await cli(["run", "--watch", "scenarios/gige-usr.yaml"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('did you mean "scenarios/gige-user.yaml"?');
  });

  it("rewrites the --out files after each rerun and exits 0 on q", async () => {
    const file = tmp.write(SMOKE, "smoke.yaml");
    const out = path.join(tmp.dir, "out");
    let stop: "q" | "SIGINT" | "SIGTERM" | undefined;
    const io: Io & { stderr: string } = Object.assign(memoryIo({ LOOPDRV_CACHE_DIR: path.join(tmp.dir, "cache") }), { stopRequested: () => stop, cwd: tmp.dir });
    const code = runCli(["run", "--watch", file, "--quick", "--out", out, "--set", "devices.tick.driver.placement=kernel"], io);
    const results = path.join(out, "results.json");
    const rates = () => (existsSync(results) ? (JSON.parse(readFileSync(results, "utf8")) as { points: { params: Record<string, number> }[] }).points.map((p) => p.params["devices.tick.rate"]) : []);
    await until("the first results", () => rates().length === 3);
    expect(rates()).to.deep.equal([1000, 5000, 20000]);
    expect(existsSync(path.join(out, "figure.svg"))).to.equal(true);
    writeFileSync(file, SMOKE.replace("20000/s]", "10000/s]"));
    await until("the rewritten results", () => rates()[2] === 10000);
    await until("the summary of the rerun", () => io.stderr.includes("1 simulated, 2 from the cache"));
    stop = "q";
    expect(await code).to.equal(0);
    expect(io.stderr).to.include("wrote out/results.json");
    expect(io.stderr).to.include("stopped watching (q)");
  });

  it("prints only a broken file's problems with --quiet, and exits 143 on SIGTERM", async () => {
    const file = tmp.write(SMOKE.replace("isr_cost: 2000 cycles", "isr_cost: 2000 cycels"), "broken.yaml");
    let stop: "q" | "SIGINT" | "SIGTERM" | undefined;
    const io = Object.assign(memoryIo({ LOOPDRV_CACHE_DIR: path.join(tmp.dir, "cache") }), { stopRequested: () => stop, cwd: tmp.dir });
    const code = runCli(["run", "--watch", file, "--quick", "--quiet"], io);
    await until("the diagnostics", () => io.stderr.includes("error:"));
    writeFileSync(file, SMOKE);
    await sleep(300);
    stop = "SIGTERM";
    expect(await code).to.equal(143);
    expect(io.stderr).to.include("cycels");
    expect(io.stderr).not.to.include("core-smoke: 6 ok");
    expect(io.stderr).not.to.include("stopped watching");
  });
});
