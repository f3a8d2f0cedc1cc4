/**
 * A small target for network mechanism tests: the test machine of helpers.ts (round costs),
 * an 82545GM, the e1000 driver in either placement, the kernel's stack and one UDP socket
 * read by a process. Frames are injected straight into the NIC (no clients or switch).
 */
import type { Program, Task } from "../../src/model/cpu/index.js";
import { DropCounters } from "../../src/model/net/drops.js";
import { frameBytes } from "../../src/model/net/ethernet.js";
import type { HoldoffRegisters } from "../../src/model/net/holdoff.js";
import { KernelPlacement } from "../../src/model/net/kernel-placement.js";
import { UserPlacement, type LoopbackKind, type RxService } from "../../src/model/net/loopback.js";
import { Nic } from "../../src/model/net/nic.js";
import { Packet } from "../../src/model/net/packet.js";
import { UdpSocket } from "../../src/model/net/socket.js";
import { NetStack } from "../../src/model/net/stack.js";
import { setup } from "./helpers.js";

export const IRQ = 16;

export interface TargetOptions {
  placement: "kernel" | "user";
  holdoff?: Partial<HoldoffRegisters>;
  rxRing?: number;
  rxFifo?: number;
  rcvbuf?: number;
  sndbuf?: number;
  backlog?: number;
  loopback?: LoopbackKind;
  rxService?: RxService;
  driverNice?: number;
  /** How the driver learns of interrupts (default: the IRQ file). */
  delivery?: "irq-file" | "signal";
  /** The reading process echoes what it reads (recvfrom → sendto), or only reads. */
  echo?: boolean;
}

export function target(o: TargetOptions) {
  const { sim, k } = setup();
  const drops = new DropCounters(0, Infinity);
  const transmitted: { pkt: Packet; wireEnd: number }[] = [];
  const nic = new Nic(
    sim,
    {
      rxRing: o.rxRing ?? 64,
      txRing: 64,
      rxFifo: o.rxFifo ?? 48 * 1024,
      txFifo: 16 * 1024,
      linkRate: 1e9,
      dmaRate: 533e6,
      holdoff: { itr: 0, rdtr: 0, radv: 0, tidv: 0, tadv: 0, ...o.holdoff },
    },
    {
      raise: () => k.irq(IRQ).raise(),
      drop: (stage) => drops.add(stage, sim.now),
      transmitted: (pkt, wireEnd) => transmitted.push({ pkt, wireEnd }),
    },
    "eth0",
  );
  const stack = NetStack.of(k);
  stack.backlogCap = o.backlog ?? 300;
  stack.onDrop = (stage) => drops.add(stage, sim.now);
  let user: UserPlacement | null = null;
  let kernel: KernelPlacement | null = null;
  if (o.placement === "kernel") {
    kernel = new KernelPlacement(k, nic, stack, 2048, 0);
    stack.attachDevice(kernel);
    kernel.install(IRQ);
  } else {
    user = new UserPlacement(
      k,
      nic,
      stack,
      {
        irq: IRQ,
        delivery: o.delivery ?? "irq-file",
        loopback: o.loopback ?? "rings",
        rxService: o.rxService ?? "interrupt",
        priority: o.driverNice ?? 0,
        ringSlots: 64,
        rxBuffer: 2048,
        batchLimit: 0,
        name: "drv",
      },
      () => drops.add("loopback_ring", sim.now),
    );
    stack.attachDevice(user.loopback);
  }
  const driver = (kernel?.driver ?? user?.driver)!;
  driver.fillRing(nic.cfg.rxRing - 1);
  const sock = new UdpSocket(k, "echo", { rcvbuf: o.rcvbuf ?? 131070, sndbuf: o.sndbuf ?? 131070, txTruesize: stack.skbTruesize(1024 + 59) }, stack, () =>
    drops.add("socket_rcvbuf", sim.now),
  );
  stack.bind(sock);
  user?.start();
  const received: number[] = [];
  const app: Task = k.spawn("app", function* (self): Program {
    for (;;) {
      const p = yield* k.syscall(self, sock.recv(self));
      received.push(sim.now);
      if (o.echo) yield* k.syscall(self, sock.sendto(self, p));
      else stack.inHand.release();
    }
  });
  let n = 0;
  /** A frame's last bit reaches the NIC at `t` ps. */
  const inject = (t: number) => {
    sim.at(t, () => nic.receive(new Packet(n++ % 4, t, 1024, frameBytes(1024))));
  };
  return { sim, k, nic, stack, sock, user, kernel, driver, drops, transmitted, received, app, inject };
}
