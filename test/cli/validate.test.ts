/** `loopdrv validate`: exit codes, the per-file lines, and how problems are shown. */
import { expect } from "chai";
import { EXIT } from "../../cli/exit-codes.js";
import { memoryIo, useColor } from "../../cli/io.js";
import { cli, ESC } from "../helpers/cli.js";
import { invalidFixture, scenario, shippedScenarios, validFixture } from "../helpers/fixtures.js";

describe("cli: validate", () => {
  it("exits 0 for a valid file", async () => {
    expect((await cli(["validate", validFixture("nic.yaml")])).code).to.equal(EXIT.ok);
  });

  it("prints `ok    FILE (N points)` for a valid file", async () => {
    const f = scenario("gige-user.yaml");
    expect((await cli(["validate", f])).stdout).to.equal(`ok    ${f} (10 points)\n`);
  });

  it("says `1 point`, not `1 points`", async () => {
    const f = validFixture("nic.yaml");
    expect((await cli(["validate", f])).stdout).to.equal(`ok    ${f} (1 point)\n`);
  });

  it("exits 2 for an invalid file", async () => {
    expect((await cli(["validate", invalidFixture("unit-wrong-case.yaml")])).code).to.equal(EXIT.badInput);
  });

  it("prints `FAIL  FILE: N problems` on stderr for an invalid file", async () => {
    const f = invalidFixture("integer-bounds.yaml");
    const r = await cli(["validate", f]);
    expect(r.stdout).to.equal("");
    expect(r.stderr.trimEnd().split("\n").pop()).to.equal(`FAIL  ${f}: 2 problems`);
  });

  it("exits 2 for a missing file", async () => {
    expect((await cli(["validate", "no/such/file.yaml"])).code).to.equal(EXIT.badInput);
  });

  it("reports every file given, valid and invalid, and exits 2 if any is invalid", async () => {
    const good = validFixture("nic.yaml");
    const bad = invalidFixture("unit-missing.yaml");
    const worse = invalidFixture("enum-placement.yaml");
    const r = await cli(["validate", good, bad, worse]);
    expect(r.code).to.equal(EXIT.badInput);
    expect(r.stdout).to.equal(`ok    ${good} (1 point)\n1 of 3 files valid\n`);
    expect(r.stderr).to.include(`FAIL  ${bad}: 1 problem\n`);
    expect(r.stderr).to.include(`FAIL  ${worse}: 1 problem\n`);
    expect(r.stderr).to.include(`${bad}:4:17: error: `);
    expect(r.stderr).to.include(`${worse}:6:18: error: `);
  });

  it("validates every shipped scenario", async () => {
    const files = shippedScenarios().map(scenario);
    const r = await cli(["validate", ...files]);
    expect([r.code, r.stderr]).to.deep.equal([EXIT.ok, ""]);
    expect(r.stdout.trimEnd().split("\n").pop()).to.equal(`${files.length} of ${files.length} files valid`);
  });

  it("prints nothing for valid files with --quiet", async () => {
    expect(await cli(["validate", "-q", validFixture("nic.yaml"), validFixture("disk.yaml")])).to.deep.equal({ code: EXIT.ok, stdout: "", stderr: "" });
  });

  it("applies --set before validating", async () => {
    const r = await cli(["validate", validFixture("nic.yaml"), "--set", "workload.clients=0"]);
    expect(r.code).to.equal(EXIT.badInput);
    expect(r.stderr).to.match(/^--set:1:18: error: .*\[schema-range\]$/m);
  });

  describe("diagnostics", () => {
    const f = invalidFixture("unit-wrong-case.yaml");

    it("start with file:line:col", async () => {
      expect((await cli(["validate", f])).stderr).to.match(new RegExp(`^${f.replace(/[.]/g, "\\.")}:4:21: error: .*\\[unit-unknown\\]$`, "m"));
    });

    it("show the offending source line", async () => {
      expect((await cli(["validate", f])).stderr).to.include("  4 |   offered_load: 100 mb/s\n");
    });

    it("show a caret under the offending unit", async () => {
      expect((await cli(["validate", f])).stderr).to.include(`    | ${" ".repeat(20)}^^^^\n`);
    });

    it("show the hint", async () => {
      expect((await cli(["validate", f])).stderr).to.match(/^ {2}= hint: /m);
    });

    it("name the extends chain of a value that came from a base", async () => {
      const r = await cli(["validate", invalidFixture("extends-base-error.yaml")]);
      expect(r.stderr).to.include(`= via extends: ${invalidFixture("extends-base-error.yaml")} → ${invalidFixture("base-bad-unit.yaml")}\n`);
      expect(r.stderr).to.match(new RegExp(`^${invalidFixture("base-bad-unit.yaml").replace(/[.]/g, "\\.")}:10:21: error: `, "m"));
    });

    it("never show a stack trace", async () => {
      const files = ["yaml-alias-bomb.yaml", "yaml-syntax-unclosed-flow.yaml", "extends-cycle-a.yaml", "sweep-too-many-points.yaml"].map(invalidFixture);
      const r = await cli(["validate", ...files, "missing.yaml"]);
      expect(r.stderr).to.not.include("    at ");
    });

    it("have no escape codes with NO_COLOR", async () => {
      expect((await cli(["validate", f], { NO_COLOR: "1" })).stderr).to.not.include(ESC);
    });

    it("have no escape codes when stderr is not a terminal and nothing forces colour", async () => {
      expect((await cli(["validate", f])).stderr).to.not.include(ESC);
    });

    it("have escape codes with FORCE_COLOR=1", async () => {
      expect((await cli(["validate", f], { FORCE_COLOR: "1" })).stderr).to.include(ESC);
    });

    it("have no escape codes with FORCE_COLOR=0", async () => {
      expect((await cli(["validate", f], { FORCE_COLOR: "0" })).stderr).to.not.include(ESC);
    });

    it("have no escape codes with NO_COLOR even if FORCE_COLOR is set", async () => {
      expect((await cli(["validate", f], { NO_COLOR: "1", FORCE_COLOR: "1" })).stderr).to.not.include(ESC);
    });

    it("have no escape codes on a terminal that says TERM=dumb", () => {
      const tty = (env: Record<string, string>) => ({ ...memoryIo(env), stderrIsTTY: true });
      expect(useColor(tty({}), "stderr")).to.equal(true);
      expect(useColor(tty({ TERM: "dumb" }), "stderr")).to.equal(false);
      expect(useColor(tty({ TERM: "dumb", FORCE_COLOR: "1" }), "stderr")).to.equal(true);
    });

    it("have no escape codes with --no-color even if FORCE_COLOR is set", async () => {
      expect((await cli(["--no-color", "validate", f], { FORCE_COLOR: "1" })).stderr).to.not.include(ESC);
    });
  });
});
