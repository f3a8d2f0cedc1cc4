/**
 * The echo latency percentiles are found by selection instead of a sort (a hot spot at the
 * end of every echo point): the selected values must be the ones a sort puts at each rank.
 */
import { expect } from "chai";
import fc from "fast-check";
import { select } from "../../src/model/net/clients.js";

describe("latency percentiles by selection", () => {
  it("select() gives, rank by rank from the highest, what a numeric sort puts there", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 400 }), (ints) => {
        const a = Float64Array.from(ints, (v) => v * 1_000_000);
        const sorted = a.slice().sort();
        const n = a.length;
        const rank = (f: number) => Math.min(n - 1, Math.ceil(f * n) - 1);
        const [r99, r90, r50] = [rank(0.99), rank(0.9), rank(0.5)];
        const x = a.slice();
        const got = [select(x, r99, 0, n - 1), select(x, r90, 0, r99), select(x, r50, 0, r90)];
        expect(got).to.deep.equal([sorted[r99], sorted[r90], sorted[r50]]);
      }),
      { numRuns: 500 },
    );
  });
});
