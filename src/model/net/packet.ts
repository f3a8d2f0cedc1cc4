/**
 * One UDP echo request and, after the echo server, its reply: the same object travels the
 * whole path (client → switch → NIC → driver → stack → socket → echo server → stack → driver
 * → NIC → switch → client), so every stage can be checked against the others.
 */
import type { SimTime } from "../../sim/time.js";
import type { Context, Program } from "../cpu/index.js";

/** Something a transmit buffer's truesize is charged to (a socket's send buffer). */
export interface TxOwner {
  /** The buffer of `pkt` was freed (sock_wfree). */
  release(pkt: Packet): void;
  /** After a batch of releases: wake a writer waiting for space, if they made room. */
  wakeWriters(cx: Context): Program;
}

export class Packet {
  /** Client that sent it (0-based). */
  readonly client: number;
  /** When the client sent it, ps. */
  readonly sentAt: SimTime;
  /** UDP payload bytes. */
  readonly payload: number;
  /** Ethernet frame bytes (header to FCS). */
  readonly frame: number;
  /** Truesize of the buffer that holds it now (receive skb, then transmit skb), bytes. */
  truesize = 0;
  /** Time the NIC finished moving it (receive DMA write-back, transmit DMA fetch), ps. */
  doneAt: SimTime = 0;
  /** The socket whose send buffer its transmit skb is charged to. */
  owner: TxOwner | null = null;

  constructor(client: number, sentAt: SimTime, payload: number, frame: number) {
    this.client = client;
    this.sentAt = sentAt;
    this.payload = payload;
    this.frame = frame;
  }
}
