import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { packagePath } from "../../src/dsl/package-root.js";

describe("npm package", function () {
  this.timeout(120_000);

  it("ships the CLI, schemas, presets, references, scenarios and docs, and no tests", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: packagePath(), encoding: "utf8" });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const required of [
      "package.json",
      "README.md",
      "schema/scenario.schema.json",
      "schema/results.schema.json",
      "src/presets/machines/hp-zx2000.yaml",
      "src/presets/devices/intel-82545gm.yaml",
      "src/presets/devices/maxtor-diamondmax-plus-9.yaml",
      "src/presets/references/paper-fig4.yaml",
      "scenarios/gige-user.yaml",
      "docs/scenario-language.md",
    ]) {
      expect(files, required).to.include(required);
    }
    expect(files.filter((f) => f.startsWith("test/"))).to.deep.equal([]);
  });

  it("names a bin that the build produces", () => {
    const pkg = JSON.parse(execFileSync("cat", [packagePath("package.json")], { encoding: "utf8" })) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.bin.loopdrv).to.equal("dist/cli/main.js");
    expect(pkg.scripts.prepare).to.equal("npm run build");
  });
});
