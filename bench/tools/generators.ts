/**
 * Generator objects created per echoed packet or per 1-sector read, on the bench's points
 * (bench/point-child.ts, shortened): every generator the model starts is counted as its
 * first `next()` is called.
 *
 *   npx tsx bench/tools/generators.ts echo|disk
 */
import type { UdpEchoComponent } from "../../src/model/workloads/udp-echo.js";
import { loadRunner, pointJob, runPoint } from "../point.js";

const GeneratorPrototype = Object.getPrototypeOf(function* () {}).prototype as { next: (...a: unknown[]) => unknown };
const next = GeneratorPrototype.next;
const seen = new WeakSet<object>();
let counting = false;
let count = 0;
GeneratorPrototype.next = function (this: object, ...a: unknown[]) {
  if (counting && !seen.has(this)) {
    seen.add(this);
    count++;
  }
  return next.apply(this, a);
};

const which = process.argv[2];
const DISK_READS = 2048;
const spec =
  which === "echo"
    ? { file: "gige-user.yaml", set: ["workload.offered_load=850 Mb/s", "run.warmup=20 ms", "run.duration=200 ms"] }
    : which === "disk"
      ? { file: "ide-user.yaml", set: ["workload.transfer_size=1 sectors", "workload.repetitions=1", "run.duration=1000 s", `workload.bytes=${DISK_READS * 512} B`] }
      : undefined;
if (!spec) throw new Error("usage: generators.ts echo|disk");
const m = await loadRunner(undefined);
const job = await pointJob(m, spec.file, spec.set);
counting = true;
const r = await runPoint(m, job);
counting = false;
const units = which === "echo" ? (r.sys.workload as UdpEchoComponent).diagnostics().echoed : DISK_READS;
console.log(`${which}: ${(count / units).toFixed(2)} generators per ${which === "echo" ? "echoed packet" : "read"} (${count} over ${units})`);
