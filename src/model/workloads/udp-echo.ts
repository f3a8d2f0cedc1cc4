/**
 * The paper's network benchmark (§4.2): ipbench UDP echo. N clients send evenly paced
 * 1024-byte UDP packets through a switch to the target's NIC (src/model/net/clients.ts);
 * an echo server process on the target receives each datagram and sends it straight back
 * (recvfrom → sendto, as ipbench's echo-udp.c). Achieved throughput is the payload echoed
 * back in time, per second of the measurement window.
 *
 * The echo server's socket is sized as a real one would be: setsockopt(SO_RCVBUF/SNDBUF)
 * with the requested sizes, bounded by the system maxima and doubled, or the system
 * defaults when it asks for nothing (socket.ts).
 */
import type { WorkloadModel } from "../../dsl/normalised.js";
import { fromSeconds, toSeconds } from "../../sim/time.js";
import { RUN, type Program, type Task } from "../cpu/index.js";
import { isGigeNic, type GigeNicComponent } from "../devices/gige-nic.js";
import type { BuildContext, Conservation, WorkloadComponent, WorkloadModule } from "../registry.js";
import type { System } from "../system.js";
import { IpbenchClients } from "../net/clients.js";
import { DropCounters } from "../net/drops.js";
import { IPV4_HEADER, UDP_HEADER } from "../net/ethernet.js";
import { RX_SKB_EXTRA } from "../net/kernel-placement.js";
import type { Packet } from "../net/packet.js";
import { effectiveBuffer, SOCK_MIN_RCVBUF, SOCK_MIN_SNDBUF, UdpSocket } from "../net/socket.js";

export interface UdpEchoSpec extends WorkloadModel {
  device: string;
  payload: number;
  clients: number;
  /** bit/s */
  offered_load: number;
  drop_threshold: number;
  rcvbuf: number;
  sndbuf: number;
  rmem_max: number;
  wmem_max: number;
  rmem_default: number;
  wmem_default: number;
  backlog: number;
  skb_overhead: number;
  server_work: number;
  priority: number;
  switch_buffer: number;
}

/**
 * ip_append_data() allocates a UDP transmit skb of the datagram plus LL_RESERVED_SPACE
 * (16 bytes for Ethernet) plus 15 bytes of alignment slack (Linux 2.6.6 net/ipv4/ip_output.c).
 */
const TX_SKB_EXTRA = 16 + 15;

/** Echo-server and client state for reports and tests (not part of the results document). */
export interface UdpEchoDiagnostics {
  rcvbuf: number;
  sndbuf: number;
  rxTruesize: number;
  txTruesize: number;
  sendBlocks: number;
  sent: number;
  echoed: number;
}

export interface UdpEchoComponent extends WorkloadComponent {
  readonly type: "udp-echo";
  diagnostics(): UdpEchoDiagnostics;
}

export const udpEcho: WorkloadModule = {
  create(ctx: BuildContext, raw: WorkloadModel): WorkloadComponent {
    const spec = raw as UdpEchoSpec;
    const { k, sim } = ctx;
    const start = fromSeconds(ctx.scenario.run.warmup);
    const end = start + fromSeconds(ctx.scenario.run.duration);
    const drops = new DropCounters(start, end, ctx.scenario.faults !== undefined);
    let dev: GigeNicComponent;
    let clients: IpbenchClients;
    let sock: UdpSocket;

    /** Packets somewhere between the clients and back (what the conservation equation calls in flight). */
    const packetsInFlight = () => {
      const stack = dev.stack;
      return (
        clients.inSwitch +
        dev.nic.rxHeld +
        dev.held() +
        stack.backlogLength +
        sock.length +
        stack.qdiscLength +
        stack.inHand.count +
        clients.outbound
      );
    };

    const component: UdpEchoComponent = {
      type: "udp-echo",
      path: ctx.path,
      mode: "timed",
      connect(sys: System) {
        const c = sys.components.get(`devices.${spec.device}`);
        if (!isGigeNic(c)) throw new Error(`bug: udp-echo device ${spec.device} is not a gige-nic (the validator should have said so)`);
        dev = c;
        const stack = dev.stack;
        stack.backlogCap = spec.backlog;
        stack.skbOverhead = spec.skb_overhead;
        stack.onDrop = (stage) => drops.add(stage, sim.now);
        const rngs = [];
        for (let i = 0; i < spec.clients; i++) rngs.push(sim.rng(`${ctx.path}/client${i}`));
        clients = new IpbenchClients(
          sim,
          {
            clients: spec.clients,
            offeredBitsPerS: spec.offered_load,
            payload: spec.payload,
            linkRate: dev.spec.link_rate,
            switchBuffer: spec.switch_buffer,
            dropThresholdPs: fromSeconds(spec.drop_threshold),
            windowStart: start,
            windowEnd: end,
          },
          rngs,
          (p) => dev.nic.receive(p),
          drops,
        );
        dev.listen({
          transmitted: (p, wireEnd) => clients.reply(p, wireEnd),
          drop: (stage) => drops.add(stage, sim.now),
          lost: (stage, n) => drops.add(stage, sim.now, n),
        });
        sock = new UdpSocket(
          k,
          "echo",
          {
            rcvbuf: effectiveBuffer(spec.rcvbuf, spec.rmem_max, spec.rmem_default, SOCK_MIN_RCVBUF),
            sndbuf: effectiveBuffer(spec.sndbuf, spec.wmem_max, spec.wmem_default, SOCK_MIN_SNDBUF),
            txTruesize: stack.skbTruesize(spec.payload + UDP_HEADER + IPV4_HEADER + TX_SKB_EXTRA),
          },
          stack,
          () => drops.add("socket_rcvbuf", sim.now),
        );
        stack.bind(sock);
      },
      start() {
        const work = fromSeconds(spec.server_work);
        // ipbench's echo-udp.c: recvfrom(), then sendto() of what it received, forever.
        k.spawn(
          "echo-server",
          function* (self: Task): Program {
            for (;;) {
              const p: Packet = yield* k.syscall(self, sock.recv(self));
              if (work > 0 && self.run(work, "application")) yield RUN;
              yield* k.syscall(self, sock.sendto(self, p));
            }
          },
          { nice: spec.priority },
        );
        clients.start();
      },
      conservation(): Conservation[] {
        clients.catchUp();
        clients.settle();
        const inFlight = packetsInFlight();
        return [
          {
            // ipbench's view: every packet sent is echoed in time, dropped at some stage (a
            // late reply included), or still somewhere on the path.
            name: "packets sent by the clients",
            issued: clients.sent,
            completed: clients.echoed,
            dropped: drops.allTime(),
            inFlight,
          },
          {
            name: "datagrams queued on the echo socket",
            issued: sock.queued,
            completed: sock.read,
            dropped: 0,
            inFlight: sock.length,
          },
          {
            // Send-buffer accounting: every transmit buffer charged was released or is in flight.
            name: "transmit buffers charged to the send buffer",
            issued: sock.charged,
            completed: sock.released,
            dropped: 0,
            inFlight: Math.round(sock.wmem / sock.cfg.txTruesize),
          },
        ];
      },
      metrics() {
        clients.catchUp();
        clients.settle();
        // Over the part of the window simulated: all of it, unless the kernel crashed.
        const seconds = toSeconds(Math.min(sim.now, end) - start);
        const bits = spec.payload * 8;
        const out: Record<string, unknown> = { drops: drops.inWindow() };
        if (seconds > 0) {
          out.throughput_bits_per_s = (clients.echoedInWindow * bits) / seconds;
          out.offered_bits_per_s = (clients.sentInWindow * bits) / seconds;
        }
        // A kernel crash loses every packet on the path at that moment.
        if (k.panicked !== null) (out.drops as Record<string, number>).driver_fault = packetsInFlight();
        // Percentiles need every reply of the window: only once it has closed (a live display
        // asks for metrics between slices).
        const lat = sim.now >= end ? clients.latencyStats() : undefined;
        if (lat) out.latency_s = lat;
        return out;
      },
      diagnostics() {
        return {
          rcvbuf: sock.cfg.rcvbuf,
          sndbuf: sock.cfg.sndbuf,
          rxTruesize: dev.stack.skbTruesize(dev.spec.rx_buffer + RX_SKB_EXTRA),
          txTruesize: sock.cfg.txTruesize,
          sendBlocks: sock.sendBlocks,
          sent: clients.sent,
          echoed: clients.echoed,
        };
      },
    };
    return component;
  },
};
