/**
 * The `gige-nic` device: an Intel 82545GM (src/model/net/nic.ts) and its e1000 driver
 * (src/model/net/e1000.ts), placed in the kernel (kernel-placement.ts) or at user level
 * behind a network loopback (loopback.ts). The driver logic is the same object in both
 * placements; only what it calls out to differs.
 *
 * The device is the target end of the network: the workload that drives it (udp-echo)
 * connects its clients to the wire (`nic.receive`) and listens for transmitted frames and
 * drops (`listen`).
 */
import type { DeviceModel, DriverModel, IrqDelivery } from "../../dsl/normalised.js";
import type { SimTime } from "../../sim/time.js";
import type { BuildContext, Component, DeviceModule } from "../registry.js";
import type { FaultTarget } from "../faults/driver.js";
import type { NetDropStage } from "../net/drops.js";
import type { E1000 } from "../net/e1000.js";
import { holdoffRegisters } from "../net/holdoff.js";
import { KernelPlacement } from "../net/kernel-placement.js";
import { UserPlacement, type LoopbackKind, type RxService } from "../net/loopback.js";
import { Nic } from "../net/nic.js";
import type { Packet } from "../net/packet.js";
import { NetStack } from "../net/stack.js";

export interface GigeNicSpec extends DeviceModel {
  irq: number;
  rx_ring: number;
  tx_ring: number;
  rx_fifo: number;
  tx_fifo: number;
  /** bit/s */
  link_rate: number;
  /** bit/s (normalised data rate) */
  dma_rate: number;
  rx_buffer: number;
  holdoff: { itr: number; rdtr: number; radv: number; tidv: number; tadv: number };
  driver: DriverModel & { loopback: LoopbackKind; rx_service: RxService; delivery: IrqDelivery };
}

/** Where the device reports what leaves it. */
export interface NicListener {
  /** A frame's transmission is scheduled; its last bit leaves at `wireEnd`. */
  transmitted(pkt: Packet, wireEnd: SimTime): void;
  /** A received frame was dropped by the NIC or the user-level driver. */
  drop(stage: NetDropStage, pkt: Packet): void;
  /** `n` packets were lost at `stage` (packets a dead driver held, counted by the kernel). */
  lost(stage: NetDropStage, n: number): void;
}

export interface GigeNicComponent extends Component {
  readonly type: "gige-nic";
  readonly spec: GigeNicSpec;
  readonly nic: Nic;
  readonly stack: NetStack;
  readonly driver: E1000;
  readonly user: UserPlacement | null;
  listen(l: NicListener): void;
  /** Packets the device's part of the path holds outside the NIC (the loopback). */
  held(): number;
  readonly faultTarget: FaultTarget;
}

export function isGigeNic(c: Component | undefined): c is GigeNicComponent {
  return c !== undefined && (c as Partial<GigeNicComponent>).type === "gige-nic";
}

export const gigeNic: DeviceModule = {
  create(ctx: BuildContext, raw: DeviceModel): Component {
    const spec = raw as GigeNicSpec;
    const { k, sim } = ctx;
    let listener: NicListener | null = null;
    const nic = new Nic(
      sim,
      {
        rxRing: spec.rx_ring,
        txRing: spec.tx_ring,
        rxFifo: spec.rx_fifo,
        txFifo: spec.tx_fifo,
        linkRate: spec.link_rate,
        dmaRate: spec.dma_rate / 8,
        holdoff: holdoffRegisters(spec.holdoff),
      },
      {
        raise: () => k.irq(spec.irq).raise(),
        drop: (stage, pkt) => listener?.drop(stage, pkt),
        transmitted: (pkt, wireEnd) => listener?.transmitted(pkt, wireEnd),
      },
      ctx.name,
    );
    const stack = NetStack.of(k);
    let kernel: KernelPlacement | null = null;
    let user: UserPlacement | null = null;
    if (spec.driver.placement === "kernel") {
      kernel = new KernelPlacement(k, nic, stack, spec.rx_buffer, spec.driver.batch_limit);
      stack.attachDevice(kernel);
    } else {
      user = new UserPlacement(
        k,
        nic,
        stack,
        {
          irq: spec.irq,
          delivery: spec.driver.delivery,
          loopback: spec.driver.loopback,
          rxService: spec.driver.rx_service,
          priority: spec.driver.priority,
          ringSlots: spec.driver.loopback_ring,
          rxBuffer: spec.rx_buffer,
          batchLimit: spec.driver.batch_limit,
          name: `${ctx.name}-driver`,
        },
        (pkt) => listener?.drop("loopback_ring", pkt),
        (n) => listener?.lost("driver_fault", n),
      );
      stack.attachDevice(user.loopback);
    }
    const driver = (kernel?.driver ?? user?.driver)!;
    const faultTarget: FaultTarget = {
      device: ctx.name,
      placement: spec.driver.placement,
      irq: spec.irq,
      supportsFaults: !user || spec.driver.loopback === "rings",
      attachFaults(hook, policy) {
        if (kernel) kernel.hook = hook;
        if (user) {
          if (spec.driver.loopback !== "rings") throw new Error(`bug: faults on ${ctx.name} with loopback ${spec.driver.loopback} (the validator accepts the shared rings only)`);
          user.hook = hook;
          user.loopback.policy = policy;
        }
      },
      get task() {
        return user?.task ?? null;
      },
      restart(plan) {
        if (!user) throw new Error(`bug: restart of the in-kernel driver of ${ctx.name}`);
        return user.restart(plan);
      },
      ping(cx) {
        if (!user) throw new Error(`bug: heartbeat to the in-kernel driver of ${ctx.name}`);
        return user.ping(cx);
      },
    };

    const component: GigeNicComponent = {
      type: "gige-nic",
      path: ctx.path,
      spec,
      nic,
      stack,
      driver,
      user,
      faultTarget,
      listen(l) {
        listener = l;
      },
      held() {
        return user?.loopback.held ?? 0;
      },
      init() {
        k.irq(spec.irq);
        kernel?.install(spec.irq);
        // e1000_up(): the driver fills the receive ring before traffic starts.
        driver.fillRing(spec.rx_ring - 1);
      },
      start() {
        user?.start();
      },
      conservation() {
        return [
          {
            // Every frame from the wire was dropped at the FIFO or by a reset (or arrived at a
            // disabled device), is still in the NIC, or was taken by the driver.
            name: "frames received by the NIC",
            issued: nic.arrived,
            completed: nic.taken,
            dropped: nic.fifoDrops + nic.faultDrops,
            inFlight: nic.rxHeld,
          },
        ];
      },
    };
    return component;
  },
};
