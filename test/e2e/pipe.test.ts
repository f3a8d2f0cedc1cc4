/**
 * The real CLI writing into a pipe whose reader stops early (`loopdrv schema | head -1`):
 * the rest of the output is dropped and the command ends with its own exit code, without
 * Node's EPIPE stack trace (which it printed, exiting 1 — the code of a failed `expect:`).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { packagePath } from "../../src/dsl/package-root.js";

const ROOT = packagePath();

/** Run the CLI with its stdout's reader gone before it writes, and collect how it ended. */
function runAndCloseEarly(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "cli", "main.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out; stderr so far:\n${stderr}`));
    }, 60_000);
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.stdout.destroy(); // the reader goes away (as `head` does once it has its lines)
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("cli: output into a pipe closed early", function () {
  this.timeout(60_000);

  it("schema | head: exit 0, no stack trace", async () => {
    const r = await runAndCloseEarly(["schema"]);
    expect(r.stderr).to.not.match(/EPIPE|at .*\(node:|Unhandled/);
    expect(r.code).to.equal(0);
  });

  it("validate of a bad file | head: still exit 2, the diagnostics on stderr", async () => {
    const r = await runAndCloseEarly(["validate", "test/fixtures/invalid/unknown-key-top.yaml"]);
    expect(r.stderr).to.not.match(/EPIPE|Unhandled/);
    expect(r.code).to.equal(2);
  });
});
