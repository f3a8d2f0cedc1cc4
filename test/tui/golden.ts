/**
 * Whole-frame comparison with committed golden files in test/tui/frames/. A missing or
 * different frame fails; `npm run test:update` (never with CI set) rewrites them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { packagePath } from "../../src/dsl/package-root.js";

const DIR = packagePath("test", "tui", "frames");
const UPDATE = process.env.LOOPDRV_UPDATE_SNAPSHOTS === "1" && !process.env.CI;

export function expectFrame(name: string, frame: string): void {
  const file = path.join(DIR, `${name}.txt`);
  const text = frame.replace(/[ \t]+$/gm, "") + "\n";
  if (UPDATE) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  expect(existsSync(file), `no golden frame ${path.relative(packagePath(), file)}; run npm run test:update and look at it`).to.equal(true);
  expect(text).to.equal(readFileSync(file, "utf8"));
}
