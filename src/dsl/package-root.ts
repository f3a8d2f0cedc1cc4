/**
 * The package's own files (schema, presets, references, scenarios) are found relative to
 * the package root, which is the same whether loopdrv runs from source (tsx) or from dist/.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "loopdrv") return (root = dir);
      } catch {
        /* keep walking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error("bug: cannot find the loopdrv package root");
    dir = up;
  }
}

export function packagePath(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
