/**
 * Argument parsing apart from behaviour: what argv does to the exit code and to which
 * stream the words go. Nothing here reads a scenario that matters.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { EXIT } from "../../cli/exit-codes.js";
import { memoryIo } from "../../cli/io.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { VERSION } from "../../cli/version.js";
import { cli } from "../helpers/cli.js";
import { validFixture } from "../helpers/fixtures.js";

describe("cli: argv", () => {
  it("exits 2 on an unknown command", async () => {
    expect((await cli(["valdate", "x.yaml"])).code).to.equal(EXIT.badInput);
  });

  it("suggests the nearest command for an unknown one", async () => {
    expect((await cli(["valdate", "x.yaml"])).stderr).to.match(/did you mean validate\?/i);
  });

  it("exits 2 on an unknown option", async () => {
    expect((await cli(["validate", "--forse", "x.yaml"])).code).to.equal(EXIT.badInput);
  });

  it("suggests the nearest option for an unknown one", async () => {
    expect((await cli(["validate", "--forse", "x.yaml"])).stderr).to.match(/did you mean --force\?/i);
  });

  it("exits 2 when a required argument is missing", async () => {
    const r = await cli(["plan"]);
    expect([r.code, r.stdout]).to.deep.equal([EXIT.badInput, ""]);
  });

  it("runs the main job with no file: the current directory's scenarios/gige-user.yaml, else the package's", async function () {
    this.timeout(60_000);
    const elsewhere = mkdtempSync(path.join(tmpdir(), "loopdrv-cwd-"));
    const args = ["run", "--quick", "--json", "--quiet", "--no-cache", "--jobs", "1"];
    const home = process.cwd();
    // The CLI reads files relative to the process's directory, as a user's shell gives it.
    process.chdir(elsewhere);
    try {
      const pkg = memoryIo({});
      expect(await runCli(args, { ...pkg, cwd: elsewhere }), pkg.stderr).to.equal(EXIT.ok);
      expect(JSON.parse(pkg.stdout).scenario.name).to.equal("gige-user");
      // A checkout's own copy (here an edited one) is the one run.
      mkdirSync("scenarios");
      writeFileSync(path.join("scenarios", "gige-user.yaml"), `extends: ${JSON.stringify(packagePath("scenarios", "gige-user.yaml"))}\nname: my-copy\n`);
      const mine = memoryIo({});
      expect(await runCli(args, { ...mine, cwd: elsewhere }), mine.stderr).to.equal(EXIT.ok);
      expect(JSON.parse(mine.stdout).scenario).to.deep.include({ name: "my-copy", file: "scenarios/gige-user.yaml" });
    } finally {
      process.chdir(home);
    }
  });

  it("points at --help after a usage error", async () => {
    expect((await cli(["validate", "--forse", "x.yaml"])).stderr).to.include("--help");
  });

  it("prints help on stdout and exits 0 for --help", async () => {
    const r = await cli(["--help"]);
    expect([r.code, r.stderr]).to.deep.equal([EXIT.ok, ""]);
    expect(r.stdout).to.match(/^Usage: loopdrv/);
  });

  it("lists every command in --help", async () => {
    const { stdout } = await cli(["--help"]);
    for (const c of ["validate", "plan", "schema"]) expect(stdout).to.match(new RegExp(`^  ${c}\\b`, "m"));
  });

  it("prints a command's help and exits 0 for COMMAND --help", async () => {
    const r = await cli(["plan", "--help"]);
    expect(r.code).to.equal(EXIT.ok);
    expect(r.stdout).to.match(/^Usage: loopdrv plan/);
  });

  it("prints the version alone on stdout and exits 0 for --version", async () => {
    expect(await cli(["--version"])).to.deep.equal({ code: EXIT.ok, stdout: `${VERSION}\n`, stderr: "" });
  });

  it("accepts -V for --version", async () => {
    expect((await cli(["-V"])).stdout).to.equal(`${VERSION}\n`);
  });

  it("exits 2 when no command is given", async () => {
    expect((await cli([])).code).to.equal(EXIT.badInput);
  });

  it("takes --no-color before the command", async () => {
    expect((await cli(["--no-color", "validate", validFixture("nic.yaml")])).code).to.equal(EXIT.ok);
  });

  it("takes --no-color after the command", async () => {
    expect((await cli(["validate", "--no-color", validFixture("nic.yaml")])).code).to.equal(EXIT.ok);
  });

  it("takes --set more than once", async () => {
    const r = await cli(["plan", validFixture("nic.yaml"), "--json", "--set", "workload.clients=2", "--set", "workload.payload=512 B"]);
    expect(JSON.parse(r.stdout).points[0].params).to.deep.equal({ "workload.clients": 2, "workload.payload": 512 });
  });

  it("turns --seed N into run.seed", async () => {
    const r = await cli(["plan", validFixture("nic.yaml"), "--json", "--seed", "99"]);
    expect(JSON.parse(r.stdout).points[0].params).to.deep.equal({ "run.seed": 99 });
  });

  it("gives the same plan for --seed N and --set run.seed=N", async () => {
    const a = await cli(["plan", validFixture("precedence.yaml"), "--json", "--seed", "99"]);
    const b = await cli(["plan", validFixture("precedence.yaml"), "--json", "--set", "run.seed=99"]);
    expect(a).to.deep.equal(b);
  });

  it("exits 2 when --seed and --set run.seed disagree (one is the other's spelling)", async () => {
    const r = await cli(["plan", validFixture("nic.yaml"), "--seed", "5", "--set", "run.seed=6"]);
    expect(r.code).to.equal(EXIT.badInput);
    expect(r.stderr).to.include("error: --seed 5 and --set run.seed=6 disagree; --seed N is --set run.seed=N, give one of them");
    expect(r.stdout).to.equal("");
    // The same value twice is no conflict, however it is written.
    expect((await cli(["plan", validFixture("nic.yaml"), "--seed", "5", "--set", "run.seed=5"])).code).to.equal(EXIT.ok);
    expect((await cli(["plan", validFixture("nic.yaml"), "--seed", "7", "--set", "run.seed=07"])).code).to.equal(EXIT.ok);
  });

  it("exits 2 for a --seed that is not a whole number in run.seed's range, naming the flag the user typed", async () => {
    for (const bad of ["abc", "-1", "1.5", "4294967296"]) {
      const r = await cli(["validate", "--seed", bad, validFixture("nic.yaml")]);
      expect(r.code, bad).to.equal(EXIT.badInput);
      expect(r.stderr, bad).to.include(`option '--seed <n>' argument '${bad}' is invalid`).and.not.include("--set:");
    }
    expect((await cli(["validate", "--seed", "4294967295", validFixture("nic.yaml")])).code).to.equal(EXIT.ok);
  });
});
