/**
 * The CLI as users run it: compiled JavaScript (`npm run build`), not TypeScript under tsx.
 * The sweep figures measure that. Under tsx the pool's worker threads cannot use tsx's ESM
 * hooks (Node 20) and load the model through its CommonJS hook instead, where every use of
 * an imported name is a getter call: the same sweep took about 45 % more CPU that way
 * (docs/performance.md).
 *
 * `builtCli()` compiles the working tree once per bench process with the project's own
 * build (tsc -p tsconfig.build.json) into a temporary directory that looks like the
 * package (package.json, scenarios, schema and the presets under src/ linked from the
 * tree), so the figures always measure the code in front of them, never a stale dist/.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
let built: Promise<string> | undefined;

/** Directory of the compiled tree (its `dist/cli/app.js` is the CLI's entry). */
export function builtCli(): Promise<string> {
  built ??= build();
  return built;
}

async function build(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "loopdrv-bench-build-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  await promisify(execFile)(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", path.join(dir, "dist")], { cwd: ROOT });
  for (const f of ["package.json", "scenarios", "schema", "src", "node_modules"]) symlinkSync(path.join(ROOT, f), path.join(dir, f));
  return dir;
}
