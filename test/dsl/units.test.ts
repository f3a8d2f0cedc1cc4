import { expect } from "chai";
import fc from "fast-check";
import {
  type Accepts,
  type Quantity,
  type QuantityDimension,
  type UnitError,
  UNIT_ERROR,
  UNIT_TABLE,
  describeAccepts,
  formatQuantity,
  parseQuantity,
  unitMessages,
} from "../../src/dsl/units.js";

function parsed(input: string | number, accepts: Accepts): Quantity {
  const r = parseQuantity(input, accepts);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got ${r.error.message}`);
  return r.quantity;
}

function rejected(input: string | number, accepts: Accepts): UnitError {
  const r = parseQuantity(input, accepts);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected, got ${JSON.stringify(r.quantity)}`);
  return r.error;
}

/** The accepts under which a unit of this dimension is read on its own. */
function acceptsFor(dimension: QuantityDimension): Accepts {
  return dimension === "cost_per_byte_cycles" || dimension === "cost_per_byte_time" ? "cost_per_byte" : dimension;
}

const MICRO_SIGN = "\u00b5";
const GREEK_MU = "\u03bc";

// Expected values are written out by hand, not derived from UNIT_TABLE, so a wrong factor in
// the table fails here.
const SI_CASES: readonly [input: string, accepts: Accepts, si: number][] = [
  ["3 ns", "time", 3e-9],
  ["1.5 us", "time", 1.5e-6],
  [`1.5 ${MICRO_SIGN}s`, "time", 1.5e-6],
  [`1.5 ${GREEK_MU}s`, "time", 1.5e-6],
  ["20 ms", "time", 0.02],
  ["2 s", "time", 2],

  ["100 B", "size", 100],
  ["2 kB", "size", 2000],
  ["3 MB", "size", 3e6],
  ["4 GB", "size", 4e9],
  ["2 KiB", "size", 2048],
  ["64 MiB", "size", 67108864],
  ["1 GiB", "size", 1073741824],
  ["8 sectors", "size", 4096],
  ["1 sector", "size", 512],

  ["9600 bit/s", "data_rate", 9600],
  ["9600 b/s", "data_rate", 9600],
  ["9600 bps", "data_rate", 9600],
  ["56 kb/s", "data_rate", 56e3],
  ["56 kbit/s", "data_rate", 56e3],
  ["56 kbps", "data_rate", 56e3],
  ["850 Mb/s", "data_rate", 850e6],
  ["850 Mbit/s", "data_rate", 850e6],
  ["850 Mbps", "data_rate", 850e6],
  ["1 Gb/s", "data_rate", 1e9],
  ["1 Gbit/s", "data_rate", 1e9],
  ["1 Gbps", "data_rate", 1e9],
  ["10 B/s", "data_rate", 80],
  ["10 kB/s", "data_rate", 80e3],
  ["100 MB/s", "data_rate", 800e6],
  ["2 GB/s", "data_rate", 16e9],
  ["1 KiB/s", "data_rate", 8192],
  ["1 MiB/s", "data_rate", 8388608],
  ["1 GiB/s", "data_rate", 8589934592],

  ["8000/s", "event_rate", 8000],

  ["50 Hz", "frequency", 50],
  ["33 kHz", "frequency", 33e3],
  ["900 MHz", "frequency", 900e6],
  ["2.4 GHz", "frequency", 2.4e9],

  ["1500 cycles", "cycles", 1500],
  ["1 cycle", "cycles", 1],

  ["1.2 cycles/B", "cost_per_byte", 1.2],
  ["1 cycle/B", "cost_per_byte", 1],
  ["0.5 ns/B", "cost_per_byte", 0.5e-9],
];

describe("units", () => {
  describe("conversion to SI", () => {
    for (const [input, accepts, si] of SI_CASES) {
      it(`reads \`${input}\` as ${si} in SI units`, () => {
        expect(parsed(input, accepts).si).to.equal(si);
      });
    }

    it("has a conversion case for every symbol and alias in the unit table", () => {
      const spellings = UNIT_TABLE.flatMap((u) => [u.symbol, ...(u.aliases ?? [])]);
      const covered = new Set(SI_CASES.map(([input]) => input.replace(/^[\d.]+ ?/, "")));
      expect(spellings.filter((s) => !covered.has(s))).to.deep.equal([]);
    });

    it("keeps the number and the unit as written, alias included", () => {
      expect(parsed("850 Mbps", "data_rate")).to.deep.equal({
        value: 850,
        unit: "Mbps",
        dimension: "data_rate",
        si: 850e6,
      });
    });
  });

  describe("case sensitivity", () => {
    it("reads Mb/s as megabits and MB/s as megabytes, eight times apart", () => {
      expect(parsed("100 Mb/s", "data_rate").si).to.equal(100e6);
      expect(parsed("100 MB/s", "data_rate").si).to.equal(800e6);
    });

    it("rejects a unit written in the wrong case", () => {
      expect(rejected("100 mb/s", "data_rate").code).to.equal(UNIT_ERROR.unknown);
      expect(rejected("1 Mhz", "frequency").code).to.equal(UNIT_ERROR.unknown);
    });
  });

  describe("did you mean", () => {
    it("offers both megabits and megabytes for an all-lower-case mb/s", () => {
      const e = rejected("100 mb/s", "data_rate");
      expect(e.hint).to.include("`Mb/s` (megabits per second)");
      expect(e.hint).to.include("`MB/s` (megabytes per second)");
      expect(e.hint).to.include("case-sensitive");
    });

    it("offers both kB and KiB for KB or kb: decimal or binary is the writer's to say", () => {
      for (const v of ["4 KB", "4 kb"]) {
        expect(rejected(v, "size").hint, v).to.equal(
          unitMessages.hintDidYouMean([
            { spelling: "kB", name: nameOf("kB") },
            { spelling: "KiB", name: nameOf("KiB") },
          ]),
        );
      }
    });

    it("asks for a rate written out in full for 8 k/s (not /s, 1000 times smaller)", () => {
      expect(rejected("8 k/s", "interval").hint).to.equal("Write the rate out in full: `8000/s`.");
      expect(rejected("2 M/s", "event_rate").hint).to.equal("Write the rate out in full: `2000000/s`.");
    });

    it("offers MHz for Mhz", () => {
      expect(rejected("1 Mhz", "frequency").hint).to.equal(
        unitMessages.hintCase([{ spelling: "MHz", name: nameOf("MHz") }]),
      );
    });

    it("offers us once, not once per micro spelling, for US", () => {
      expect(rejected("5 US", "time").hint).to.equal(unitMessages.hintCase([{ spelling: "us", name: nameOf("us") }]));
    });

    it("offers ms for msec", () => {
      expect(rejected("10 msec", "time").hint).to.equal(
        unitMessages.hintDidYouMean([{ spelling: "ms", name: nameOf("ms") }]),
      );
    });

    it("offers s for the spelled-out word seconds", () => {
      expect(rejected("5 seconds", "time").hint).to.include("`s` (seconds)");
    });

    it("offers the per-second unit for a bare Mb where a data rate is expected", () => {
      const e = rejected("850 Mb", "data_rate");
      expect(e.hint).to.include("`Mb/s`");
      expect(e.hint).to.include("`MB/s`");
    });

    it("offers a near miss by edit distance", () => {
      expect(rejected("5 nss", "time").hint).to.include("`ns`");
    });

    it("guesses nothing for a word that is near no accepted unit, and shows an example instead", () => {
      const e = rejected("5 parsecs", "time");
      expect(e.code).to.equal(UNIT_ERROR.unknown);
      expect(e.message).to.equal(unitMessages.unknown("parsecs", "time"));
      expect(e.hint).to.equal(unitMessages.hintExample("time"));
    });

    it("suggests only units of the accepted dimension", () => {
      // `ms` is a time, so it is no help where a frequency is expected.
      expect(rejected("5 MS", "frequency").hint).to.equal(unitMessages.hintExample("frequency"));
    });
  });

  describe("dimension errors", () => {
    it("name the dimension expected and the dimension written", () => {
      const e = rejected("10 ms", "data_rate");
      expect(e.code).to.equal(UNIT_ERROR.dimension);
      expect(e.message).to.equal(unitMessages.dimension("ms", "time", "data_rate"));
      expect(e.message).to.match(/^Expected a data rate \(bit\/s, .*Mb\/s.*\), got a time \(ms\)\.$/);
    });

    it("suggest the per-second unit when a size is given for a data rate", () => {
      expect(rejected("64 MB", "data_rate").hint).to.include("`MB/s`");
    });

    it("suggest the per-byte unit when a plain cost is given for a per-byte cost", () => {
      expect(rejected("3 ns", "cost_per_byte").hint).to.include("`ns/B`");
      expect(rejected("1.2 cycles", "cost_per_byte").hint).to.include("`cycles/B`");
    });

    it("explain how to write an event rate when hertz are given for an interval", () => {
      expect(rejected("2000 Hz", "interval").hint).to.equal(unitMessages.hintPerSecond());
    });
  });

  describe("composite accepts", () => {
    it("cost keeps cycles as cycles, which scale with the clock", () => {
      expect(parsed("1500 cycles", "cost")).to.deep.equal({
        value: 1500,
        unit: "cycles",
        dimension: "cycles",
        si: 1500,
      });
    });

    it("cost keeps a time as a time, which does not scale with the clock", () => {
      expect(parsed("2 us", "cost")).to.deep.equal({ value: 2, unit: "us", dimension: "time", si: 2e-6 });
    });

    it("cost rejects a frequency", () => {
      expect(rejected("900 MHz", "cost").code).to.equal(UNIT_ERROR.dimension);
    });

    it("interval reads a time as seconds", () => {
      expect(parsed("500 us", "interval")).to.deep.equal({ value: 500, unit: "us", dimension: "time", si: 5e-4 });
    });

    it("interval reads a rate r as 1/r seconds, keeping the rate as written", () => {
      expect(parsed("2000/s", "interval")).to.deep.equal({ value: 2000, unit: "/s", dimension: "time", si: 5e-4 });
    });

    it("interval of 0 us means off and stays 0", () => {
      expect(parsed("0 us", "interval").si).to.equal(0);
    });

    it("interval rejects a rate of 0/s, which has no period", () => {
      const e = rejected("0/s", "interval");
      expect(e.code).to.equal(UNIT_ERROR.rateZero);
      expect(e.message).to.equal(unitMessages.rateZero());
      expect(e.hint).to.equal(unitMessages.hintRateZero());
    });

    it("an event rate of 0/s is fine where an event rate itself is expected", () => {
      expect(parsed("0/s", "event_rate").si).to.equal(0);
    });

    it("cost_per_byte keeps cycles per byte and time per byte apart", () => {
      expect(parsed("1.2 cycles/B", "cost_per_byte").dimension).to.equal("cost_per_byte_cycles");
      expect(parsed("0.5 ns/B", "cost_per_byte").dimension).to.equal("cost_per_byte_time");
    });
  });

  describe("numbers without a unit", () => {
    it("are rejected, with a hint listing the accepted units", () => {
      const e = rejected(900, "frequency");
      expect(e.code).to.equal(UNIT_ERROR.missing);
      expect(e.message).to.equal(unitMessages.missing("900", "frequency"));
      expect(e.hint).to.equal(unitMessages.hintMissing("frequency"));
      expect(e.hint).to.include("Hz, kHz, MHz, GHz");
    });

    it("are rejected when written as a numeric string too", () => {
      expect(rejected("900", "frequency").code).to.equal(UNIT_ERROR.missing);
    });

    for (const accepts of ["time", "cycles", "cost", "interval", "cost_per_byte"] as const) {
      it(`accept a bare zero as zero for ${accepts}`, () => {
        expect(parsed(0, accepts).si).to.equal(0);
        expect(parsed("0", accepts).si).to.equal(0);
      });
    }

    for (const accepts of ["size", "data_rate", "event_rate", "frequency"] as const) {
      it(`still need a unit on zero for ${accepts}`, () => {
        expect(rejected(0, accepts).code).to.equal(UNIT_ERROR.missing);
      });
    }

    it("record a bare zero in the base unit of the dimension", () => {
      expect(parsed(0, "interval")).to.deep.equal({ value: 0, unit: "s", dimension: "time", si: 0 });
      expect(parsed(0, "cost")).to.deep.equal({ value: 0, unit: "cycles", dimension: "cycles", si: 0 });
    });

    it("never produce a negative zero", () => {
      expect(Object.is(parsed("-0", "time").si, 0)).to.equal(true);
      expect(Object.is(parsed("-0 ms", "time").si, 0)).to.equal(true);
    });
  });

  describe("invalid numbers", () => {
    it("reject an empty or blank value", () => {
      expect(rejected("", "time").code).to.equal(UNIT_ERROR.invalidNumber);
      expect(rejected("   ", "time").message).to.equal(unitMessages.empty("time"));
    });

    it("reject text that does not start with a number", () => {
      expect(rejected("fast ms", "time").message).to.equal(unitMessages.notANumber("fast ms", "time"));
      expect(rejected("ms", "time").code).to.equal(UNIT_ERROR.invalidNumber);
      expect(rejected("Infinity s", "time").code).to.equal(UNIT_ERROR.invalidNumber);
    });

    it("reject NaN and infinite JS numbers", () => {
      expect(rejected(Number.NaN, "time").code).to.equal(UNIT_ERROR.invalidNumber);
      expect(rejected(Number.POSITIVE_INFINITY, "time").code).to.equal(UNIT_ERROR.invalidNumber);
    });

    it("reject a number too large to represent", () => {
      expect(rejected("1e999 s", "time").code).to.equal(UNIT_ERROR.invalidNumber);
      expect(rejected("1e300 GiB/s", "data_rate").code).to.equal(UNIT_ERROR.invalidNumber);
    });

    it("reject a comma and explain the separators", () => {
      const e = rejected("1,000 ms", "time");
      expect(e.code).to.equal(UNIT_ERROR.invalidNumber);
      expect(e.message).to.equal(unitMessages.badNumber("1,000"));
      expect(e.hint).to.equal(unitMessages.hintSeparator());
    });

    it("reject a second decimal point", () => {
      expect(rejected("1.2.3 ms", "time").message).to.equal(unitMessages.badNumber("1.2.3"));
    });

    it("reject YAML values that are not strings or numbers", () => {
      expect(rejected(true as unknown as string, "time").message).to.equal(unitMessages.wrongType("boolean", "time"));
      expect(rejected(null as unknown as string, "time").message).to.equal(unitMessages.wrongType("null", "time"));
    });
  });

  describe("offsets", () => {
    it("point at an unknown unit", () => {
      expect(rejected("  5 parsecs ", "time")).to.include({ offset: 4, length: 7 });
    });

    it("point at a unit of the wrong dimension", () => {
      expect(rejected("10 ms", "data_rate")).to.include({ offset: 3, length: 2 });
    });

    it("point at a unit written with spaces around its slash, as written", () => {
      expect(rejected("5 Mb / S", "data_rate")).to.include({ offset: 2, length: 6 });
    });

    it("point at the number when the unit is missing", () => {
      expect(rejected(" 900 ", "frequency")).to.include({ offset: 1, length: 3 });
    });

    it("point at the whole malformed number", () => {
      expect(rejected("1,000 ms", "time")).to.include({ offset: 0, length: 5 });
      expect(rejected(" 1.2.3 ms", "time")).to.include({ offset: 1, length: 5 });
    });

    it("point at the first word when there is no number", () => {
      expect(rejected(" fast ms", "time")).to.include({ offset: 1, length: 4 });
    });

    it("are absent when the input was a JS number, which has no text", () => {
      const e = rejected(900, "frequency");
      expect(e.offset).to.equal(undefined);
      expect(e.length).to.equal(undefined);
    });
  });

  describe("whitespace and digit separators", () => {
    it("ignores whitespace around the value and allows none between number and unit", () => {
      expect(parsed("  900MHz\t", "frequency").si).to.equal(900e6);
    });

    it("allows several spaces or a tab between number and unit", () => {
      expect(parsed("900   MHz", "frequency").si).to.equal(900e6);
      expect(parsed("900\tMHz", "frequency").si).to.equal(900e6);
    });

    it("reads an event rate with or without a space before the slash", () => {
      expect(parsed("8000/s", "event_rate").si).to.equal(8000);
      expect(parsed("8000 /s", "event_rate").si).to.equal(8000);
      expect(parsed("8000 / s", "event_rate").si).to.equal(8000);
    });

    it("reads underscores between digit groups", () => {
      expect(parsed("64_000 B", "size").si).to.equal(64000);
      expect(parsed("1_000.000_5 s", "time").si).to.equal(1000.0005);
    });

    it("rejects an underscore that does not sit between digits", () => {
      expect(rejected("64__000 B", "size").code).to.equal(UNIT_ERROR.invalidNumber);
      expect(rejected("_64 B", "size").code).to.equal(UNIT_ERROR.invalidNumber);
      expect(rejected("64_ B", "size").code).to.equal(UNIT_ERROR.invalidNumber);
    });

    it("reads exponents, signs and a leading decimal point", () => {
      expect(parsed("2e3/s", "event_rate").si).to.equal(2000);
      expect(parsed("1E-3 s", "time").si).to.equal(1e-3);
      expect(parsed("+5 ms", "time").si).to.equal(5e-3);
      expect(parsed(".5 s", "time").si).to.equal(0.5);
    });

    it("leaves the sign to the parameter's bounds", () => {
      expect(parsed("-5 ms", "time").si).to.equal(-5e-3);
    });
  });

  describe("describeAccepts", () => {
    it("names the dimension and lists its units", () => {
      expect(describeAccepts("time")).to.equal(`a time (ns, us, ${MICRO_SIGN}s, ms, s)`);
    });

    it("lists the units of both dimensions of a composite", () => {
      expect(describeAccepts("cost")).to.equal(`a CPU cost in cycles or time (cycles, ns, us, ${MICRO_SIGN}s, ms, s)`);
      expect(describeAccepts("interval")).to.include("<n>/s");
    });
  });

  describe("formatQuantity", () => {
    const EXAMPLES: readonly [si: number, dimension: QuantityDimension, text: string][] = [
      [9e-7, "time", "900 ns"],
      [1.5e-6, "time", "1.5 us"],
      [0.0012345678, "time", "1.235 ms"],
      [3600, "time", "3600 s"],
      [5e-10, "time", "0.5 ns"],
      [0, "time", "0 s"],
      [850e6, "data_rate", "850 Mb/s"],
      [67108864, "size", "64 MiB"],
      [1e6, "size", "1 MB"],
      [4096, "size", "4 KiB"],
      [1500, "size", "1500 B"],
      [65535, "size", "65535 B"], // rmem_max: no unit shows it exactly, so not "64 KiB"
      [131070, "size", "131070 B"],
      [2 ** 30 + 1, "size", "1073741825 B"],
      [3 * 2 ** 30, "size", "3 GiB"],
      [8000, "event_rate", "8000/s"],
      [900e6, "frequency", "900 MHz"],
      [1, "cycles", "1 cycle"],
      [1500, "cycles", "1500 cycles"],
      [1.2, "cost_per_byte_cycles", "1.2 cycles/B"],
      [5e-10, "cost_per_byte_time", "0.5 ns/B"],
    ];
    for (const [si, dimension, text] of EXAMPLES) {
      it(`writes ${si} ${dimension} as \`${text}\``, () => {
        expect(formatQuantity(si, dimension)).to.equal(text);
      });
    }

    it("reads back to the same value for representative quantities", () => {
      const values: readonly [number, QuantityDimension][] = [
        ...EXAMPLES.map(([si, d]) => [si, d] as [number, QuantityDimension]),
        [123456789, "size"],
        [1.024e-6, "time"],
        [256e-9, "time"],
        [790e6, "data_rate"],
        [12345, "data_rate"],
        [2.4e9, "frequency"],
        [1e12, "size"],
      ];
      for (const [si, dimension] of values) {
        const text = formatQuantity(si, dimension);
        const back = parsed(text, acceptsFor(dimension)).si;
        expect(Math.abs(back - si), `${si} → ${text} → ${back}`).to.be.at.most(5e-4 * Math.abs(si));
      }
    });
  });

  describe("property: every unit scales by its factor", () => {
    it("reads `${n} ${unit}` as n × factor for any finite non-negative n", () => {
      const spellings = UNIT_TABLE.flatMap((u) =>
        [u.symbol, ...(u.aliases ?? [])].map((spelling) => ({ spelling, u })),
      );
      fc.assert(
        fc.property(
          // Far from both ends of the double range, so n × factor neither overflows nor
          // loses relative precision in subnormals.
          fc.oneof(fc.constant(0), fc.double({ min: 1e-200, max: 1e200, noNaN: true })),
          fc.constantFrom(...spellings),
          (n, { spelling, u }) => {
            const q = parsed(`${n} ${spelling}`, acceptsFor(u.dimension));
            const want = n * u.factor;
            expect(Math.abs(q.si - want)).to.be.at.most(1e-12 * Math.abs(want));
          },
        ),
      );
    });
  });
});

function nameOf(symbol: string): string {
  const u = UNIT_TABLE.find((e) => e.symbol === symbol);
  if (!u) throw new Error(`no unit ${symbol}`);
  return u.name;
}
