/**
 * The README's library example runs as written (against this tree's sources instead of the
 * installed package): it loads, plans and lists the points of the main job, and renders a bad
 * file's diagnostics with their source lines.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import { packagePath } from "../../src/dsl/package-root.js";

/** The ```ts block of the README's "## Library" section. */
function librarySnippet(): string {
  const readme = readFileSync(packagePath("README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Library"));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error("README has no ```ts block under ## Library");
  return m[1]!;
}

describe("README: the library example", function () {
  this.timeout(30_000);

  it("runs as written: the main job's points, and a bad file's problems with their source lines", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "loopdrv-readme-"));
    const g = globalThis as { __readme?: unknown[][] };
    try {
      const index = pathToFileURL(packagePath("src", "index.ts")).href;
      const run = async (scenario: string): Promise<{ out: unknown[][]; error?: string }> => {
        g.__readme = [];
        const [imports, ...rest] = librarySnippet()
          .replace(/from "loopdrv"/, `from ${JSON.stringify(index)}`)
          .replace(/"scenarios\/gige-user\.yaml"/, JSON.stringify(scenario))
          .split("\n");
        // What the example prints is collected instead.
        const code = [imports, "const console = { log: (...a: unknown[]) => (globalThis as { __readme: unknown[][] }).__readme.push(a) };", ...rest].join("\n");
        const file = path.join(dir, `snippet-${Math.random().toString(36).slice(2)}.mts`);
        writeFileSync(file, code);
        try {
          await import(pathToFileURL(file).href);
          return { out: g.__readme };
        } catch (e) {
          return { out: g.__readme, error: (e as Error).message };
        }
      };
      const ok = await run(packagePath("scenarios", "gige-user.yaml"));
      expect(ok.error, ok.error).to.equal(undefined);
      expect(ok.out.map((r) => r[0])).to.deep.equal(["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"]);
      expect(ok.out[0]![1]).to.deep.equal({ "workload.offered_load": 100e6, "run.seed": 7 });
      const bad = path.join(dir, "bad.yaml");
      writeFileSync(bad, `extends: ${JSON.stringify(packagePath("scenarios", "gige-user.yaml"))}\nworkload:\n  offered_load: 100 MB\n`);
      const broken = await run(bad);
      expect(broken.error, broken.error).to.include("bad.yaml:3:21: error:").and.include("  3 |   offered_load: 100 MB");
    } finally {
      delete g.__readme;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
