/**
 * Ethernet framing arithmetic for UDP/IPv4 datagrams (facts.md, "Ethernet arithmetic"):
 *
 *   UDP payload P → UDP datagram P + 8 → IPv4 packet P + 28 → Ethernet frame P + 46
 *   (14-byte header, 4-byte FCS; padded to 64 bytes) → on the wire P + 66 with the 8-byte
 *   preamble/SFD and the 12-byte inter-frame gap.
 *
 * For P = 1024 B: frame 1070 B, wire 1090 B = 8.72 µs at 1 Gb/s, at most 114,679 frames/s
 * per direction, 939.4 Mb/s of payload.
 */
import { PS_PER_S, roundTime, type SimTime } from "../../sim/time.js";

export const UDP_HEADER = 8;
export const IPV4_HEADER = 20;
export const ETH_HEADER = 14;
export const ETH_FCS = 4;
export const ETH_PREAMBLE = 8;
export const ETH_IFG = 12;
export const ETH_MIN_FRAME = 64;

/** Ethernet frame bytes (header to FCS) carrying a UDP payload of `payload` bytes. */
export function frameBytes(payload: number): number {
  return Math.max(ETH_MIN_FRAME, payload + UDP_HEADER + IPV4_HEADER + ETH_HEADER + ETH_FCS);
}

/** Bytes of wire time one frame takes, preamble and inter-frame gap included. */
export function wireBytes(payload: number): number {
  return frameBytes(payload) + ETH_PREAMBLE + ETH_IFG;
}

/** Time one frame occupies a link of `rateBitsPerS`, integer ps. */
export function wireTimePs(payload: number, rateBitsPerS: number): SimTime {
  return roundTime((wireBytes(payload) * 8 * PS_PER_S) / rateBitsPerS); // per frame: roundTime, not Math.round
}

/** Most frames per second one direction of the link carries. */
export function maxFramesPerS(payload: number, rateBitsPerS: number): number {
  return rateBitsPerS / (wireBytes(payload) * 8);
}

/** Most UDP payload bits per second one direction of the link carries. */
export function maxPayloadBitsPerS(payload: number, rateBitsPerS: number): number {
  return maxFramesPerS(payload, rateBitsPerS) * payload * 8;
}

/** Time to move `bytes` at `bytesPerS` (a DMA), integer ps. */
export function transferPs(bytes: number, bytesPerS: number): SimTime {
  return roundTime((bytes * PS_PER_S) / bytesPerS);
}
