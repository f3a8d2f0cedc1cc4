/**
 * Scenario text written to a temporary directory, for tests that need a small variation of
 * a fixture without committing one file per case. `extends` may name the valid fixtures
 * through VALID_BASE (an absolute path).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { VALID_DIR } from "./fixtures.js";

/** Absolute path of the small valid UDP echo scenario, for `extends:` lines. */
export const NIC_BASE = path.join(VALID_DIR, "nic.yaml");
/** Absolute path of the small valid disk scenario, for `extends:` lines. */
export const DISK_BASE = path.join(VALID_DIR, "disk.yaml");

export class TmpDir {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "loopdrv-test-"));
  private n = 0;

  /** Write `text` to a new file in the directory and return its path. */
  write(text: string | Uint8Array, name = `scenario-${++this.n}.yaml`): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, text);
    return file;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Strip the common indentation of a template literal, so scenarios can be indented in code. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ""), "");
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}
