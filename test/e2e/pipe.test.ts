/**
 * The real CLI writing into a pipe whose reader stops early (`loopdrv schema | head -1`):
 * the rest of the output is dropped and the command ends with its own exit code, without
 * Node's EPIPE stack trace (which it printed, exiting 1 — the code of a failed `expect:`).
 */
import { expect } from "chai";
import { runCliProcess } from "../helpers/cli-process.js";

/** Run the CLI with its stdout's reader gone before it writes (as `head` is once it has its lines). */
const runAndCloseEarly = (args: string[]) => runCliProcess(args, { onSpawn: (child) => child.stdout!.destroy() });

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
