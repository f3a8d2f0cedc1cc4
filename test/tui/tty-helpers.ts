/**
 * Shared by the reporter tests that draw on a fake terminal (reporter.test.ts,
 * watch.test.ts): the terminal, small helpers, and the rerun of a test file without CI.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { EventEmitter } from "node:events";
import { packagePath } from "../../src/dsl/package-root.js";

/** A terminal that records what is written to it. */
export class FakeTty extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 40;
  chunks: string[] = [];
  write(s: string): boolean {
    this.chunks.push(s);
    return true;
  }
  get text(): string {
    return this.chunks.join("");
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// eslint-disable-next-line no-control-regex
export const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");

/** Ink decides whether it runs under CI once, from the environment, when it loads. */
export const INK_SEES_CI = ["CI", "CONTINUOUS_INTEGRATION"].some((k) => k in process.env && process.env[k] !== "0" && process.env[k] !== "false");

/** Run one test file with mocha in a child process without CI (under CI Ink draws only the final frame). */
export function mochaWithoutCi(file: string): SpawnSyncReturns<string> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  return spawnSync(process.execPath, [packagePath("node_modules", "mocha", "bin", "mocha.js"), file], { cwd: packagePath(), env, encoding: "utf8" });
}
