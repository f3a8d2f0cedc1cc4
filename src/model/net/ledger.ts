/**
 * Packets in someone's hands: taken from one queue by a program that is still working on
 * them (a driver's chunk, a soft IRQ's chunk, the echo server between recvfrom() and the
 * driver's transmit) and not yet put into the next one. Each taker calls `hold`, each giver
 * `release`, so that the conservation equation can count every packet exactly once: in a
 * queue (walked) or in hand (this count).
 */
export class InHand {
  private n = 0;

  hold(count = 1): void {
    this.n += count;
  }

  release(count = 1): void {
    this.n -= count;
    if (this.n < 0) throw new Error(`bug: released more packets than were held (${this.n})`);
  }

  get count(): number {
    return this.n;
  }
}
