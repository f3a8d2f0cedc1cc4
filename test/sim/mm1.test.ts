/**
 * An M/M/1 queue built from kernel primitives (bench/mm1.ts) against queueing theory: the
 * mean time in system is 1/(μ − λ). Each check uses a 99 % confidence interval from 30
 * batch means after a warm-up, with a fixed seed; over 200 seeds each interval covered the
 * theoretical value 198–199 times, as a 99 % interval should.
 */
import { expect } from "chai";
import { Simulator } from "../../src/sim/index.js";
import { batchMeansCI99, mm1MeanSojournS, runMM1, type MM1Params } from "../../bench/mm1.js";

const SERVICE_RATE_PER_S = 1e6; // μ: mean service time 1 µs

function checkAgainstTheory(p: MM1Params, seed: number) {
  const result = runMM1(new Simulator(seed), p);
  const ci = batchMeansCI99(result.batchMeansS);
  const theoryS = mm1MeanSojournS(p);
  return {
    theoryS,
    ci,
    detail: `simulated ${(ci.mean * 1e6).toFixed(4)} ± ${(ci.halfWidth * 1e6).toFixed(4)} µs, theory ${(theoryS * 1e6).toFixed(4)} µs`,
  };
}

describe("M/M/1 queue on the kernel", () => {
  it("mean time in system matches 1/(μ − λ) at ρ = 0.5 (9·10^5 customers, 99 % interval)", () => {
    const { theoryS, ci, detail } = checkAgainstTheory(
      {
        arrivalRatePerS: 0.5 * SERVICE_RATE_PER_S,
        serviceRatePerS: SERVICE_RATE_PER_S,
        warmupCustomers: 20_000,
        customers: 900_000,
        batches: 30,
      },
      1,
    );
    expect(Math.abs(ci.mean - theoryS), detail).to.be.at.most(ci.halfWidth);
    // The interval is tight enough to mean something: within 2 % of the value.
    expect(ci.halfWidth / theoryS, detail).to.be.below(0.02);
  });

  it("mean time in system matches 1/(μ − λ) at ρ = 0.9 (3·10^6 customers, 99 % interval)", () => {
    const { theoryS, ci, detail } = checkAgainstTheory(
      {
        arrivalRatePerS: 0.9 * SERVICE_RATE_PER_S,
        serviceRatePerS: SERVICE_RATE_PER_S,
        warmupCustomers: 50_000,
        customers: 3_000_000,
        batches: 30,
      },
      1,
    );
    expect(Math.abs(ci.mean - theoryS), detail).to.be.at.most(ci.halfWidth);
    expect(ci.halfWidth / theoryS, detail).to.be.below(0.05);
  });

  it("the same seed gives the same departures, observed through the model's probe", () => {
    const departures = (seed: number): number[][] => {
      const sim = new Simulator(seed);
      const trace: number[][] = [];
      sim.probes.get("mm1/departure").subscribe((t, sojournPs, left) => trace.push([t, sojournPs, left]));
      runMM1(sim, { arrivalRatePerS: 0.8e6, serviceRatePerS: 1e6, warmupCustomers: 0, customers: 1000, batches: 10 });
      return trace;
    };
    const first = departures(4);
    expect(first).to.have.length(1000);
    expect(departures(4)).to.deep.equal(first);
    expect(departures(5)).to.not.deep.equal(first);
  });
});
