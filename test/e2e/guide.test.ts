/** The guide's example is a test: it validates, runs, and its checks pass; its pictures exist. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { memoryIo } from "../../cli/io.js";
import { packagePath } from "../../src/dsl/package-root.js";

const EXAMPLE = path.join("docs", "examples", "holdoff-study.yaml");

async function cli(args: string[]) {
  const io = memoryIo({});
  const code = await runCli(args, { ...io, cwd: packagePath() });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("the guide", function () {
  this.timeout(120_000);

  it("has an example scenario that validates", async () => {
    const r = await cli(["validate", EXAMPLE]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
  });

  it("has an example whose expect: checks pass (one offered load, to keep it short)", async () => {
    const r = await cli(["run", EXAMPLE, "--quick", "--no-cache", "--json", "--quiet", "--set", "workload.offered_load=500Mb/s"]);
    expect(r.code, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.expect.map((x: { name: string; passed: boolean }) => [x.name, x.passed])).to.deep.equal([
      ["below the knee, achieved = offered", true],
      ["at user level, a 2000/s hold-off costs no more CPU than 20000/s", true],
    ]);
  });

  it("shows only pictures that exist", () => {
    const guide = readFileSync(packagePath("docs", "guide.md"), "utf8");
    const images = [...guide.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images.length).to.be.at.least(2);
    for (const i of images) expect(existsSync(packagePath("docs", i)), i).to.equal(true);
  });
});
