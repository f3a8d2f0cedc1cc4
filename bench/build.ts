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
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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

/**
 * The bench's child scripts, compiled with the tree so that every figure measures compiled
 * JavaScript in a process of its own, with no tsx loader in it (`runChild`).
 */
const CHILDREN = ["bench/cli-child.ts", "bench/point-child.ts", "bench/kernel-child.ts", "bench/alloc-child.ts", "bench/rss-child.ts"];

/** The compiled form of a child script of CHILDREN in the tree at `dir`. */
export function builtChild(dir: string, script: string): string {
  return path.join(dir, "dist", script.replace(/\.ts$/, ".js"));
}

/**
 * Run a child script of CHILDREN, compiled with the tree, by plain Node in a fresh process
 * (with LOOPDRV_BENCH_BUILT naming the tree), and return its standard output.
 */
export async function runChild(script: string, args: string[], maxBuffer = 1024 * 1024): Promise<{ stdout: string; stderr: string }> {
  if (!CHILDREN.includes(script)) throw new Error(`bug: ${script} is not compiled with the bench's tree`);
  const dir = await builtCli();
  return promisify(execFile)(process.execPath, [builtChild(dir, script), ...args], {
    cwd: ROOT,
    maxBuffer,
    env: { ...process.env, LOOPDRV_BENCH_BUILT: dir },
  });
}

async function build(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "loopdrv-bench-build-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  // The project's build (tsconfig.build.json: src/ and cli/), plus the child scripts.
  const config = path.join(dir, "tsconfig.json");
  writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(ROOT, "tsconfig.build.json"),
      compilerOptions: { outDir: path.join(dir, "dist"), rootDir: ROOT },
      include: [path.join(ROOT, "src/**/*"), path.join(ROOT, "cli/**/*"), ...CHILDREN.map((c) => path.join(ROOT, c))],
    }),
  );
  await promisify(execFile)(process.execPath, [tsc, "-p", config], { cwd: ROOT });
  for (const f of ["package.json", "scenarios", "schema", "src", "node_modules"]) symlinkSync(path.join(ROOT, f), path.join(dir, f));
  return dir;
}
