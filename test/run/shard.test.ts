import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { expect } from "chai";
import fc from "fast-check";
import { packagePath } from "../../src/dsl/package-root.js";
import { inShard, parseShard } from "../../src/run/shard.js";
import { cli } from "../helpers/cli.js";
import { scenario } from "../helpers/fixtures.js";

const SMOKE = scenario("core-smoke.yaml");

describe("shards", function () {
  this.timeout(60_000);

  it("parses i/n with whole numbers 1 ≤ i ≤ n", () => {
    expect(parseShard("2/8")).to.deep.equal({ ok: true, shard: { index: 2, count: 8 } });
    expect(parseShard("1/1")).to.deep.equal({ ok: true, shard: { index: 1, count: 1 } });
    expect(parseShard(" 3 / 3 ")).to.deep.equal({ ok: true, shard: { index: 3, count: 3 } });
    for (const bad of ["0/3", "4/3", "1/0", "0/0", "-1/3", "1.5/3", "a/b", "2", "2/", "/2", "", "1/2/3", "99999999999999999999/1"]) {
      expect(parseShard(bad).ok, bad).to.equal(false);
    }
  });

  it("gives point k to shard (k mod n) + 1, so the shards hold every point exactly once", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 40 }), (points, n) => {
        for (let k = 0; k < points; k++) {
          const owners = Array.from({ length: n }, (_, i) => i + 1).filter((i) => inShard(k, { index: i, count: n }));
          if (owners.length !== 1 || owners[0] !== (k % n) + 1) return false;
        }
        return true;
      }),
    );
  });

  it("writes a normal results document with `shard` and only the shard's points", async () => {
    const full = JSON.parse((await cli(["run", SMOKE, "--quick", "--json", "--quiet"])).stdout);
    const r = await cli(["run", SMOKE, "--quick", "--json", "--quiet", "--shard", "2/4"]);
    expect(r.code, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.shard).to.deep.equal({ count: 4, index: 2 });
    expect(doc.points.map((p: { id: string }) => p.id)).to.deep.equal(["p1", "p5"]);
    expect(doc.points).to.deep.equal([full.points[1], full.points[5]]);
    expect(doc.scenario).to.deep.equal(full.scenario);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(packagePath("schema", "results.schema.json"), "utf8")));
    expect(validate(doc), JSON.stringify(validate.errors)).to.equal(true);
  });

  it("writes a document with no points for a shard beyond the last point", async () => {
    const r = await cli(["run", SMOKE, "--quick", "--json", "--quiet", "--shard", "8/8"]);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.include({ points: [], shard: { count: 8, index: 8 }, partial: false });
  });

  it("refuses a bad --shard as a usage error (exit 2), saying what is expected", async () => {
    const cases: [string, string][] = [
      ["0/3", "The shard index must be between 1 and 3, got 0"],
      ["4/3", "The shard index must be between 1 and 3, got 4"],
      ["1/0", "The shard count must be at least 1, got 0"],
      ["2", "Expected i/n with whole numbers"],
      ["x/y", "Expected i/n with whole numbers"],
      ["1.5/2", "Expected i/n with whole numbers"],
    ];
    for (const [arg, why] of cases) {
      const r = await cli(["run", SMOKE, "--quick", "--shard", arg]);
      expect(r.code, arg).to.equal(2);
      expect(r.stderr, arg).to.include("--shard").and.include(why);
      expect(r.stderr, arg).not.to.match(/\n\s+at /);
      expect(r.stdout, arg).to.equal("");
    }
  });
});
