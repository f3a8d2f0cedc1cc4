/**
 * The worker entry must load from the build (dist/…/worker.js, plain node) as well as from
 * source under tsx (the rest of the suite). The build goes to a temporary package root whose
 * src/, schema/, scenarios/ and node_modules/ are links to this checkout, so the real dist/
 * is left alone and the model version (a hash of src/) is the same as the suite's.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { cli } from "../helpers/cli.js";
import { ROOT, scenario } from "../helpers/fixtures.js";

describe("parallel points from the build (node dist/cli/main.js)", function () {
  this.timeout(180_000);
  let root: string;

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "loopdrv-dist-"));
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "loopdrv", version: "0.0.0-test", type: "module" }));
    for (const d of ["src", "schema", "scenarios", "node_modules"]) symlinkSync(path.join(ROOT, d), path.join(root, d), "dir");
    const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", path.join(root, "dist")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (tsc.status !== 0) throw new Error(`the build failed:\n${tsc.stdout}${tsc.stderr}`);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("runs points in worker threads and gives the document of a one-job run from source", async () => {
    const args = ["run", scenario("core-smoke.yaml"), "--quick", "--json", "--quiet", "--no-cache"];
    const built = spawnSync(process.execPath, [path.join(root, "dist", "cli", "main.js"), ...args, "--jobs", "2"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    expect(built.status, built.stderr).to.equal(0);
    const fromSource = await cli([...args, "--jobs", "1"]);
    const dropVersion = (s: string) => s.replace(/"loopdrv_version": "[^"]*"/, "");
    expect(dropVersion(built.stdout)).to.equal(dropVersion(fromSource.stdout));
    expect(JSON.parse(built.stdout).points.every((p: { status: string }) => p.status === "ok")).to.equal(true);
  });
});
