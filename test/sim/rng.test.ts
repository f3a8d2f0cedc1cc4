/**
 * Random streams: reproducible, independent per path, and drawing from the distributions
 * they claim. All seeds are fixed, so every statistical check below is deterministic; the
 * bounds are wide enough (about 4 standard errors, or the 99.9 % quantile) that a correct
 * generator passes them for almost any seed.
 */
import { expect } from "chai";
import { Rng, deriveSeed } from "../../src/sim/index.js";

const draws = (n: number, draw: () => number): number[] => Array.from({ length: n }, draw);

describe("random streams", () => {
  it("the same seed gives the same sequence", () => {
    const a = new Rng(12345);
    const b = new Rng(12345);
    expect(draws(20, () => b.nextUint32())).to.deep.equal(draws(20, () => a.nextUint32()));
  });

  it("run seeds 0..99 give 100 different streams for the same path", () => {
    const firstDraws = new Set<number>();
    for (let seed = 0; seed < 100; seed++) firstDraws.add(new Rng(deriveSeed(seed, "nic/rx")).nextUint32());
    expect(firstDraws.size).to.equal(100);
  });

  it("paths give different streams under the same run seed", () => {
    const paths = ["a", "b", "devices.hda/rotation", "devices.hda/seek", "devices.eth0/rx"];
    const firstDraws = new Set(paths.map((p) => new Rng(deriveSeed(1, p)).nextUint32()));
    expect(firstDraws.size).to.equal(paths.length);
  });

  it("streams of neighbouring paths are uncorrelated", () => {
    const a = new Rng(deriveSeed(1, "cpu0"));
    const b = new Rng(deriveSeed(1, "cpu1"));
    const n = 100_000;
    let sab = 0;
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      const x = a.next() - 0.5;
      const y = b.next() - 0.5;
      sa += x * x;
      sb += y * y;
      sab += x * y;
    }
    // The sample correlation of independent streams has standard error 1/sqrt(n).
    expect(Math.abs(sab / Math.sqrt(sa * sb))).to.be.below(4 / Math.sqrt(n));
  });

  it("next() is uniform on [0, 1): bounds and mean", () => {
    const rng = new Rng(7);
    const xs = draws(100_000, () => rng.next());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    // Uniform(0, 1) has standard deviation 1/sqrt(12).
    expect({
      min: xs.reduce((m, x) => Math.min(m, x)) >= 0,
      max: xs.reduce((m, x) => Math.max(m, x)) < 1,
      meanWithin4SE: Math.abs(mean - 0.5) < (4 / Math.sqrt(12)) / Math.sqrt(xs.length),
    }).to.deep.equal({ min: true, max: true, meanWithin4SE: true });
  });

  it("int(lo, hi) gives every value from lo to hi inclusive, and nothing else", () => {
    const rng = new Rng(3);
    const seen = new Set(draws(10_000, () => rng.int(-2, 3)));
    expect([...seen].sort((x, y) => x - y)).to.deep.equal([-2, -1, 0, 1, 2, 3]);
  });

  it("the mean of exponential draws is the requested mean", () => {
    const rng = new Rng(11);
    const meanPs = 2.5e6;
    const n = 200_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rng.exponential(meanPs);
    // An exponential's standard deviation equals its mean.
    expect(Math.abs(sum / n - meanPs)).to.be.below((4 * meanPs) / Math.sqrt(n));
  });

  it("exponential draws follow the exponential distribution (chi-square over 40 equiprobable bins)", () => {
    const rng = new Rng(5);
    const n = 400_000;
    const bins = 40;
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < n; i++) {
      // The CDF maps an exponential draw to a uniform bin.
      const u = 1 - Math.exp(-rng.exponential(1));
      counts[Math.min(bins - 1, Math.floor(u * bins))]!++;
    }
    const expected = n / bins;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 99.9 % quantile of chi-square with 39 degrees of freedom: 72.05 (standard tables).
    expect(chi2).to.be.below(72.05);
  });

  it("the exponential tail beyond the ziggurat's base (x > 7.7 means) has the right weight", () => {
    const rng = new Rng(9);
    const n = 2_000_000;
    let beyond = 0;
    for (let i = 0; i < n; i++) if (rng.exponential(1) > 7.69711747013104972) beyond++;
    // P(X > r) = e^-r ≈ 4.54e-4: about 908 of 2e6 draws, binomial sd about 30.
    const expected = n * Math.exp(-7.69711747013104972);
    expect(Math.abs(beyond - expected)).to.be.below(4 * Math.sqrt(expected));
  });
});
