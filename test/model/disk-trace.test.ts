import { expect } from "chai";
import type { Placement } from "../../src/dsl/normalised.js";
import { ACTIVITY_CLASSES } from "../../src/model/cpu/index.js";
import { attachMeters, buildSystem } from "../../src/model/system.js";
import { diskScenario } from "./disk-helpers.js";

/*
 * Test machine costs (ns): syscall entry/exit 20, context switch 200 + 100 refill, IRQ
 * entry 50, exit 30, mask 15, unmask 25, sem up/down 10, wakeup 40, register read 500,
 * write 250, DMA map 80 a page, blk_submit 400, blk_complete 300, ring entry 5,
 * ide_command 100, ide_interrupt 60. Drive: 20 µs a command, 5 µs a sector over the
 * interface.
 *
 * Per operation, the same in both placements:
 *   submit (stack)      = 1 page × 80 + 400                          =  480
 *   issue (driver)      = 100 + 2 reads × 500 + 12 writes × 250      = 4100
 *   interrupt (driver)  = 60 + 4 reads × 500 + 2 writes × 250        = 2560
 *   drive, buffer hit   = 20 µs + 1 sector × 5 µs                    = 25 000
 */

const KEEP = /^(cpu0\/(irq|ctxsw|syscall|activation|time)|disk\/|block\/|disk-read\/read|irq\/14\/(post|mask)|proc\/[a-z-]+\/(wake|block))/;

/**
 * The trace of the second of two 1-sector reads (the first pays the first access's
 * rotation), times in ns from its read() call, with the idle-thread meter running.
 */
function secondReadTrace(placement: Placement): string[] {
  const sys = buildSystem(diskScenario({ placement, bytes: 1024, transfer: 512 }), 1);
  attachMeters(sys);
  const lines: string[] = [];
  let reads = 0;
  let on = false;
  let t0 = 0;
  sys.sim.probes.subscribeAll((name, t, a, b) => {
    if (name === "disk-read/read" && a === 1 && ++reads === 2) {
      on = true;
      t0 = t;
    }
    if (!on || !KEEP.test(name)) return;
    const rel = (t - t0) / 1000;
    lines.push(name === "cpu0/time" ? `${rel} ${name} ${ACTIVITY_CLASSES[a]} ${b / 1000}` : `${rel} ${name} ${a} ${b}`);
    if (name === "disk-read/read" && a === 0) on = false;
  });
  sys.sim.run(1e12);
  expect(sys.workload.done).to.equal(true);
  return lines;
}

describe("a 1-sector O_DIRECT read, event by event", () => {
  it("driver in the kernel: one system call, one interrupt whose ISR completes the request and wakes the reader, two context switches", () => {
    expect(secondReadTrace("kernel")).to.deep.equal([
      "0 disk-read/read 1 512",
      "0 cpu0/syscall 1 0", // read() by the benchmark (pid 1)
      "20 cpu0/time syscall 20",
      "500 cpu0/time stack 480", // pin + map one page, set up the request …
      "500 block/hda/submit 1 2",
      "4600 cpu0/time driver 4100", // … request_fn → the driver issues READ DMA
      "4600 disk/hda/command 1 1", // the sector is already in the drive's buffer (read-ahead)
      "4600 proc/disk-read/block 0 0",
      "4600 cpu0/ctxsw 1 2", // the reader sleeps: switch to the idle meter (pid 2)
      "4900 cpu0/time context_switch 300",
      "29600 disk/hda/complete 1 0", // 25 µs later the DMA is done and the drive interrupts
      "29600 cpu0/time idle 24700",
      "29600 cpu0/irq 14 0",
      "29650 cpu0/time irq 50",
      "32210 cpu0/time driver 2560", // ISR: test, stop DMA, acknowledge
      "32510 cpu0/time stack 300", // end_request …
      "32510 block/hda/complete 1 2",
      "32550 cpu0/time irq 40", // … wakes the reader
      "32550 proc/disk-read/wake 0 1",
      "32580 cpu0/time irq 30",
      "32580 cpu0/ctxsw 2 1", // back to the reader
      "32880 cpu0/time context_switch 300",
      "32900 cpu0/time syscall 20",
      "32900 disk-read/read 0 512",
    ]);
  });

  it("driver at user level: the request goes through the loopback ring and an IRQ-file post, the interrupt through the IRQ file, the completion back through the ring and a system call; four context switches", () => {
    expect(secondReadTrace("user")).to.deep.equal([
      "0 disk-read/read 1 512",
      "0 cpu0/syscall 2 0", // read() by the benchmark (pid 2)
      "20 cpu0/time syscall 20",
      "500 cpu0/time stack 480", // pin + map, request set-up: as in the kernel
      "500 block/hda/submit 1 2",
      "505 cpu0/time stack 5", // loopback request_fn: descriptor into the request ring …
      "505 irq/14/post 1 0", // … and a simulated interrupt: up the IRQ file's semaphore
      "515 cpu0/time syscall 10",
      "555 cpu0/time syscall 40",
      "555 proc/hda-driver/wake 0 1",
      "555 proc/disk-read/block 0 0",
      "555 cpu0/ctxsw 2 1", // the reader sleeps: switch to the driver (pid 1)
      "855 cpu0/time context_switch 300",
      "855 cpu0/activation 14 1", // its read() on /proc/irq/14/irq returns 1
      "875 cpu0/time syscall 20",
      "880 cpu0/time driver 5", // take the descriptor off the ring
      "4980 cpu0/time driver 4100", // the same issue as in the kernel
      "4980 disk/hda/command 1 1",
      "4980 cpu0/syscall 1 0", // read() on the IRQ file: nothing pending, sleep
      "5000 cpu0/time syscall 20",
      "5010 cpu0/time syscall 10",
      "5010 proc/hda-driver/block 0 0",
      "5010 cpu0/ctxsw 1 3", // switch to the idle meter (pid 3)
      "5310 cpu0/time context_switch 300",
      "29980 disk/hda/complete 1 0",
      "29980 cpu0/time idle 24670",
      "29980 cpu0/irq 14 0",
      "30030 cpu0/time irq 50",
      "30045 cpu0/time irq 15", // the IRQ file's stub masks the line …
      "30045 irq/14/mask 1 0",
      "30045 irq/14/post 1 1",
      "30055 cpu0/time irq 10", // … ups the semaphore and wakes the driver
      "30095 cpu0/time irq 40",
      "30095 proc/hda-driver/wake 0 1",
      "30125 cpu0/time irq 30",
      "30125 cpu0/ctxsw 3 1", // switch to the driver
      "30425 cpu0/time context_switch 300",
      "30425 cpu0/activation 14 1",
      "30445 cpu0/time syscall 20",
      "33005 cpu0/time driver 2560", // the same interrupt handling as the kernel ISR
      "33010 cpu0/time driver 5", // completion descriptor into the completion ring
      "33010 cpu0/syscall 1 0", // the completion system call …
      "33030 cpu0/time syscall 20",
      "33035 cpu0/time stack 5",
      "33335 cpu0/time stack 300", // … end_request in the kernel …
      "33335 block/hda/complete 1 2",
      "33375 cpu0/time syscall 40", // … wakes the reader
      "33375 proc/disk-read/wake 0 1",
      "33395 cpu0/time syscall 20",
      "33395 cpu0/syscall 1 0", // read() on the IRQ file: re-enable the line and sleep
      "33415 cpu0/time syscall 20",
      "33440 cpu0/time irq 25",
      "33440 irq/14/mask 0 0",
      "33450 cpu0/time syscall 10",
      "33450 proc/hda-driver/block 0 0",
      "33450 cpu0/ctxsw 1 2", // back to the reader
      "33750 cpu0/time context_switch 300",
      "33770 cpu0/time syscall 20",
      "33770 disk-read/read 0 512",
    ]);
  });
});
