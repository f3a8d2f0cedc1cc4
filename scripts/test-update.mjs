#!/usr/bin/env node
// `npm run test:update`: rerun the tests with snapshot rewriting allowed. Never under CI:
// a CI run must fail on a missing or different snapshot, not paper over it.
import { spawnSync } from "node:child_process";

if (process.env.CI) {
  console.error("test:update refuses to run with CI set: snapshots are only rewritten on purpose, by a person.");
  process.exit(2);
}
const r = spawnSync("npx", ["mocha", ...(process.argv.length > 2 ? process.argv.slice(2) : ["test/**/*.test.ts"])], {
  stdio: "inherit",
  env: { ...process.env, LOOPDRV_UPDATE_SNAPSHOTS: "1" },
});
process.exit(r.status ?? 1);
