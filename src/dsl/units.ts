/**
 * The unit grammar for quantities in scenarios: `900 MHz`, `1.5 us`, `64 MiB`, `850 Mb/s`,
 * `8000/s`, `1500 cycles`. Everything becomes SI here (s, B, bit/s, 1/s, Hz, cycles) so the
 * rest of the pipeline never sees a unit again.
 *
 * Grammar (whitespace around the whole value and between number and unit is optional):
 *
 *   quantity := number unit
 *   number   := [+-]? digits ("." digits?)? | [+-]? "." digits, then ([eE] [+-]? digits)?
 *   digits   := [0-9]+ ("_" [0-9]+)*          -- `_` separates digit groups: `64_000`
 *   unit     := a symbol or alias from UNIT_TABLE, compared case-sensitively
 *
 * Symbols are case-sensitive because the same letters mean different things: `Mb/s` is
 * megabits and `MB/s` megabytes per second, a factor of 8 apart.
 *
 * A number without a unit is an error (`unit-missing`): `900` could be Hz or MHz and guessing
 * wrong is silent. The exception is a bare zero where the value is a cost or a delay (time,
 * cycles, cost, interval, cost_per_byte): zero is zero in every unit of those, and `rdtr: 0`
 * ("timer off") is common. Sizes, rates and frequencies still need a unit on zero, because a
 * zero there is far more often a forgotten value than a meant one.
 *
 * Sign and range are not checked here: bounds belong to each parameter's declaration.
 */
import { distance } from "fastest-levenshtein";

export type Dimension = "time" | "size" | "data_rate" | "event_rate" | "frequency" | "cycles";

/** What a parameter accepts: one dimension, or one of the composites that admit two. */
export type Accepts = Dimension | "cost" | "interval" | "cost_per_byte";

/** The dimension a parsed value carries; per-byte costs keep whether cycles or time was written. */
export type QuantityDimension = Dimension | "cost_per_byte_cycles" | "cost_per_byte_time";

export interface Quantity {
  /** The number as written, underscores removed. */
  value: number;
  /** The unit as written (an alias stays an alias: `Mbps`, `μs`). */
  unit: string;
  dimension: QuantityDimension;
  /** The value in SI units of `dimension`: s, B, bit/s, 1/s, Hz, cycles, cycles/B or s/B. */
  si: number;
}

export interface UnitError {
  code: string;
  message: string;
  hint?: string;
  /** Where in the input text the problem lies (0-based); absent when the input was a number. */
  offset?: number;
  length?: number;
}

export type ParseResult = { ok: true; quantity: Quantity } | { ok: false; error: UnitError };

export interface UnitEntry {
  symbol: string;
  dimension: QuantityDimension;
  /** Multiply a value in this unit by `factor` to get SI. */
  factor: number;
  /** Plain-English name, for "did you mean" hints and generated docs. */
  name: string;
  aliases?: readonly string[];
}

/** Stable error codes; diagnostics, docs and tests refer to these, never to message text. */
export const UNIT_ERROR = {
  missing: "unit-missing",
  unknown: "unit-unknown",
  dimension: "unit-dimension",
  invalidNumber: "number-invalid",
  /** `0/s` for an interval: a rate of zero has no period. */
  rateZero: "rate-zero",
} as const;

export type UnitErrorCode = (typeof UNIT_ERROR)[keyof typeof UNIT_ERROR];

// Factors below 1 are held as divisors: 1.5 / 1e6 rounds once and gives exactly 1.5e-6,
// while 1.5 * 1e-6 multiplies by an inexact constant and can land an ulp away.
interface Scale {
  mul?: number;
  div?: number;
}

interface UnitDef extends Scale {
  symbol: string;
  dimension: QuantityDimension;
  name: string;
  aliases?: readonly string[];
}

const KI = 1024;
const MI = 1024 ** 2;
const GI = 1024 ** 3;
/** A disk sector, as the IDE disk in the paper addresses it. */
const SECTOR_BYTES = 512;

const DEFS: readonly UnitDef[] = [
  { symbol: "ns", dimension: "time", div: 1e9, name: "nanoseconds" },
  { symbol: "us", dimension: "time", div: 1e6, name: "microseconds" },
  // U+00B5 MICRO SIGN is what keyboards type; U+03BC GREEK SMALL LETTER MU is what many
  // documents and PDFs (the paper among them) contain. They look identical, so accept both.
  { symbol: "\u00b5s", dimension: "time", div: 1e6, name: "microseconds", aliases: ["\u03bcs"] },
  { symbol: "ms", dimension: "time", div: 1e3, name: "milliseconds" },
  { symbol: "s", dimension: "time", name: "seconds" },

  { symbol: "B", dimension: "size", name: "bytes" },
  { symbol: "kB", dimension: "size", mul: 1e3, name: "kilobytes, 1000 B" },
  { symbol: "MB", dimension: "size", mul: 1e6, name: "megabytes, 10^6 B" },
  { symbol: "GB", dimension: "size", mul: 1e9, name: "gigabytes, 10^9 B" },
  { symbol: "KiB", dimension: "size", mul: KI, name: "kibibytes, 1024 B" },
  { symbol: "MiB", dimension: "size", mul: MI, name: "mebibytes, 2^20 B" },
  { symbol: "GiB", dimension: "size", mul: GI, name: "gibibytes, 2^30 B" },
  {
    symbol: "sectors",
    dimension: "size",
    mul: SECTOR_BYTES,
    name: "disk sectors, 512 B",
    aliases: ["sector"],
  },

  // Primary symbols are the spellings the paper and most papers use (`850 Mb/s`); the
  // `bit/s` and `bps` spellings are aliases so either habit works.
  { symbol: "bit/s", dimension: "data_rate", name: "bits per second", aliases: ["b/s", "bps"] },
  {
    symbol: "kb/s",
    dimension: "data_rate",
    mul: 1e3,
    name: "kilobits per second",
    aliases: ["kbit/s", "kbps"],
  },
  {
    symbol: "Mb/s",
    dimension: "data_rate",
    mul: 1e6,
    name: "megabits per second",
    aliases: ["Mbit/s", "Mbps"],
  },
  {
    symbol: "Gb/s",
    dimension: "data_rate",
    mul: 1e9,
    name: "gigabits per second",
    aliases: ["Gbit/s", "Gbps"],
  },
  { symbol: "B/s", dimension: "data_rate", mul: 8, name: "bytes per second" },
  { symbol: "kB/s", dimension: "data_rate", mul: 8e3, name: "kilobytes per second" },
  { symbol: "MB/s", dimension: "data_rate", mul: 8e6, name: "megabytes per second" },
  { symbol: "GB/s", dimension: "data_rate", mul: 8e9, name: "gigabytes per second" },
  { symbol: "KiB/s", dimension: "data_rate", mul: 8 * KI, name: "kibibytes per second" },
  { symbol: "MiB/s", dimension: "data_rate", mul: 8 * MI, name: "mebibytes per second" },
  { symbol: "GiB/s", dimension: "data_rate", mul: 8 * GI, name: "gibibytes per second" },

  { symbol: "/s", dimension: "event_rate", name: "events per second" },

  { symbol: "Hz", dimension: "frequency", name: "hertz" },
  { symbol: "kHz", dimension: "frequency", mul: 1e3, name: "kilohertz" },
  { symbol: "MHz", dimension: "frequency", mul: 1e6, name: "megahertz" },
  { symbol: "GHz", dimension: "frequency", mul: 1e9, name: "gigahertz" },

  { symbol: "cycles", dimension: "cycles", name: "CPU cycles", aliases: ["cycle"] },

  {
    symbol: "cycles/B",
    dimension: "cost_per_byte_cycles",
    name: "CPU cycles per byte",
    aliases: ["cycle/B"],
  },
  { symbol: "ns/B", dimension: "cost_per_byte_time", div: 1e9, name: "nanoseconds per byte" },
];

/** Every unit symbol with its dimension and factor to SI; the source for generated docs. */
export const UNIT_TABLE: readonly UnitEntry[] = DEFS.map((d) => ({
  symbol: d.symbol,
  dimension: d.dimension,
  factor: (d.mul ?? 1) / (d.div ?? 1),
  name: d.name,
  ...(d.aliases ? { aliases: d.aliases } : {}),
}));

/** Exact (case-sensitive) spelling → definition, aliases included. */
const BY_SPELLING = new Map<string, UnitDef>();
for (const d of DEFS) {
  BY_SPELLING.set(d.symbol, d);
  for (const a of d.aliases ?? []) BY_SPELLING.set(a, d);
}

const ACCEPTED_DIMENSIONS: Record<Accepts, readonly QuantityDimension[]> = {
  time: ["time"],
  size: ["size"],
  data_rate: ["data_rate"],
  event_rate: ["event_rate"],
  frequency: ["frequency"],
  cycles: ["cycles"],
  cost: ["cycles", "time"],
  interval: ["time", "event_rate"],
  cost_per_byte: ["cost_per_byte_cycles", "cost_per_byte_time"],
};

const DIMENSION_NOUN: Record<QuantityDimension, string> = {
  time: "a time",
  size: "a size",
  data_rate: "a data rate",
  event_rate: "an event rate",
  frequency: "a frequency",
  cycles: "a cycle count",
  cost_per_byte_cycles: "a per-byte cost in cycles",
  cost_per_byte_time: "a per-byte cost in time",
};

const ACCEPTS_NOUN: Record<Accepts, string> = {
  ...DIMENSION_NOUN,
  cost: "a CPU cost in cycles or time",
  interval: "an interval, as a time or an event rate",
  cost_per_byte: "a per-byte cost",
};

const ACCEPTS_EXAMPLE: Record<Accepts, string> = {
  time: "10 us",
  size: "64 MiB",
  data_rate: "850 Mb/s",
  event_rate: "8000/s",
  frequency: "900 MHz",
  cycles: "1500 cycles",
  cost: "1500 cycles",
  interval: "500 us",
  cost_per_byte: "1.2 cycles/B",
};

/** Where a bare zero needs no unit (see the header comment for why only these). */
const ZERO_WITHOUT_UNIT: Partial<Record<Accepts, UnitDef>> = {
  time: BY_SPELLING.get("s")!,
  cycles: BY_SPELLING.get("cycles")!,
  // A zero cost is zero at any clock; cycles is the form most cost tables use.
  cost: BY_SPELLING.get("cycles")!,
  interval: BY_SPELLING.get("s")!,
  cost_per_byte: BY_SPELLING.get("cycles/B")!,
};

/** `/s` alone reads oddly in a list of units; show it the way it is written. */
function displaySymbol(symbol: string): string {
  return symbol === "/s" ? "<n>/s" : symbol;
}

/** The units a parameter accepts, grouped in the order its dimensions are listed. */
function acceptedDefs(accepts: Accepts): UnitDef[] {
  return ACCEPTED_DIMENSIONS[accepts].flatMap((dim) => DEFS.filter((d) => d.dimension === dim));
}

/** e.g. "a time (ns, us, µs, ms, s)"; used in messages and in generated docs. */
export function describeAccepts(accepts: Accepts): string {
  const symbols = acceptedDefs(accepts).map((d) => displaySymbol(d.symbol));
  return `${ACCEPTS_NOUN[accepts]} (${symbols.join(", ")})`;
}

function describeDimension(dimension: QuantityDimension, unit: string): string {
  return `${DIMENSION_NOUN[dimension]} (${unit})`;
}

function quote(text: string): string {
  return `\`${text}\``;
}

interface Suggestion {
  spelling: string;
  def: UnitDef;
}

/** A unit offered in a "did you mean" hint: the spelling to write and what it means. */
export interface UnitSuggestion {
  spelling: string;
  name: string;
}

function listSuggestions(suggestions: readonly UnitSuggestion[]): string {
  const parts = suggestions.map((s) => `${quote(s.spelling)} (${s.name})`);
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
}

/**
 * Every user-facing sentence this module produces. Tests compare against these functions,
 * not against copied strings, so wording can change in one place.
 */
export const unitMessages = {
  empty: (accepts: Accepts) => `The value is empty; expected ${describeAccepts(accepts)}.`,
  wrongType: (type: string, accepts: Accepts) =>
    `Expected ${describeAccepts(accepts)}, got a ${type}.`,
  notANumber: (text: string, accepts: Accepts) =>
    `${quote(text)} does not start with a number; expected ${describeAccepts(accepts)}.`,
  badNumber: (numberText: string) => `${quote(numberText)} is not a valid number.`,
  notFinite: (numberText: string) => `${numberText} is not a finite number.`,
  tooLarge: (text: string) => `${quote(text)} is too large to represent.`,
  missing: (numberText: string, accepts: Accepts) =>
    `The number ${numberText} has no unit; expected ${describeAccepts(accepts)}.`,
  unknown: (unit: string, accepts: Accepts) =>
    `${quote(unit)} is not a known unit; expected ${describeAccepts(accepts)}.`,
  dimension: (unit: string, dimension: QuantityDimension, accepts: Accepts) =>
    `Expected ${describeAccepts(accepts)}, got ${describeDimension(dimension, unit)}.`,
  rateZero: () => "A rate of 0/s has no interval: the next event would never come.",

  hintExample: (accepts: Accepts) =>
    `Write ${ACCEPTS_NOUN[accepts]} as a number and a unit, e.g. ${quote(ACCEPTS_EXAMPLE[accepts])}.`,
  hintMissing: (accepts: Accepts) =>
    `Add one of the units ${acceptedDefs(accepts)
      .map((d) => displaySymbol(d.symbol))
      .join(", ")}, e.g. ${quote(ACCEPTS_EXAMPLE[accepts])}.`,
  hintSeparator: () =>
    "Write the decimal point as `.` and group digits with `_`, e.g. `64_000` or `1.5`.",
  hintDidYouMean: (suggestions: readonly UnitSuggestion[]) =>
    `Did you mean ${listSuggestions(suggestions)}?`,
  hintCase: (suggestions: readonly UnitSuggestion[]) =>
    `Units are case-sensitive. Did you mean ${listSuggestions(suggestions)}?`,
  hintPerSecond: () => "An event rate is written as a count per second, e.g. `2000/s`.",
  hintRateZero: () => "To switch it off, write `0 us`.",
};

/**
 * Long-form and habitual spellings (compared in lower case) that are not near any symbol by
 * edit distance: `seconds` is six edits from `s`.
 */
const SPELLINGS: ReadonlyMap<string, string> = new Map([
  ["sec", "s"],
  ["secs", "s"],
  ["second", "s"],
  ["seconds", "s"],
  ["msec", "ms"],
  ["msecs", "ms"],
  ["millisecond", "ms"],
  ["milliseconds", "ms"],
  ["usec", "us"],
  ["usecs", "us"],
  ["microsecond", "us"],
  ["microseconds", "us"],
  ["nsec", "ns"],
  ["nsecs", "ns"],
  ["nanosecond", "ns"],
  ["nanoseconds", "ns"],
  ["byte", "B"],
  ["bytes", "B"],
  ["octets", "B"],
  ["bytes/s", "B/s"],
  ["bits/s", "bit/s"],
  ["hertz", "Hz"],
  ["cyc", "cycles"],
  ["clocks", "cycles"],
  ["events/s", "/s"],
  ["per s", "/s"],
  ["/sec", "/s"],
  ["pps", "/s"],
  ["cycles/byte", "cycles/B"],
  ["ns/byte", "ns/B"],
]);

function foldCase(s: string): string {
  // Both micro characters fold to `u` so `µS`, `μs` and `US` all meet `us`.
  return s.toLowerCase().replace(/[\u00b5\u03bc]/g, "u");
}

const MAX_SUGGESTIONS = 3;

/** Near misses among the accepted units, and whether they differ from the input only in case. */
function suggest(unit: string, accepts: Accepts): { suggestions: UnitSuggestion[]; caseOnly: boolean } {
  const found = findSuggestions(unit, accepts);
  return { suggestions: distinctMeanings(found.suggestions).map(toHint), caseOnly: found.caseOnly };
}

function toHint(s: Suggestion): UnitSuggestion {
  return { spelling: s.spelling, name: s.def.name };
}

/** `us` and `µs` are one unit to the reader; offering both would look like a choice. */
function distinctMeanings(suggestions: readonly Suggestion[]): Suggestion[] {
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const s of suggestions) {
    const key = `${s.def.dimension} ${s.def.mul ?? 1} ${s.def.div ?? 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out.slice(0, MAX_SUGGESTIONS);
}

function findSuggestions(unit: string, accepts: Accepts): { suggestions: Suggestion[]; caseOnly: boolean } {
  const allowed = acceptedDefs(accepts);
  const spellings: Suggestion[] = allowed.flatMap((def) =>
    [def.symbol, ...(def.aliases ?? [])].map((spelling) => ({ spelling, def })),
  );
  const folded = foldCase(unit);

  const sameFold = spellings.filter((s) => foldCase(s.spelling) === folded);
  if (sameFold.length > 0) {
    // `KB`, `mb`: decimal or binary is the writer's to say; offer both (a disk's `4 KB` is
    // usually 4 KiB, and `kB` would not be a whole number of sectors).
    const binary = { kb: "KiB", mb: "MiB", gb: "GiB" }[folded];
    const alt = binary ? spellings.filter((s) => s.spelling === binary) : [];
    return { suggestions: [...sameFold, ...alt], caseOnly: alt.length === 0 };
  }

  const target = SPELLINGS.get(folded);
  const spelled = spellings.filter((s) => s.spelling === target);
  if (spelled.length > 0) return { suggestions: spelled, caseOnly: false };

  // `850 Mb` for a data rate, `1.2 cycles` for a per-byte cost: the unit of the thing per
  // second or per byte.
  const perWhat = spellings.filter(
    (s) => foldCase(s.spelling) === `${folded}/s` || foldCase(s.spelling) === `${folded}/b`,
  );
  if (perWhat.length > 0) return { suggestions: perWhat, caseOnly: false };

  // Edit distance in folded case, so `Mhzz` is one edit from `MHz`; short inputs get less
  // slack or `x` would be "near" every one-letter unit.
  const limit = folded.length >= 4 ? 2 : 1;
  const pool: Suggestion[] = [...spellings];
  for (const [spelling, symbol] of SPELLINGS) {
    const def = allowed.find((d) => d.symbol === symbol);
    if (def) pool.push({ spelling, def });
  }
  let best = Infinity;
  let near: { s: Suggestion; exact: number }[] = [];
  for (const s of pool) {
    const d = distance(folded, foldCase(s.spelling));
    if (d > limit || d >= folded.length) continue;
    if (d < best) {
      best = d;
      near = [];
    }
    if (d === best) near.push({ s, exact: distance(unit, s.spelling) });
  }
  near.sort((a, b) => a.exact - b.exact);
  // A long-form spelling is suggested as the symbol it stands for.
  const suggestions = near.map(({ s }) => ({
    spelling: BY_SPELLING.get(s.spelling) === s.def ? s.spelling : s.def.symbol,
    def: s.def,
  }));
  return { suggestions, caseOnly: false };
}

/** The hint for a known unit of the wrong dimension. */
function dimensionHint(unit: string, def: UnitDef, accepts: Accepts): string {
  const dims = ACCEPTED_DIMENSIONS[accepts];
  if (def.dimension === "frequency" && dims.includes("event_rate")) return unitMessages.hintPerSecond();
  const per = [`${unit}/s`, `${unit}/B`]
    .map((spelling) => ({ spelling, def: BY_SPELLING.get(spelling) }))
    .filter((s): s is Suggestion => s.def !== undefined && dims.includes(s.def.dimension));
  if (per.length > 0) return unitMessages.hintDidYouMean(per.map(toHint));
  return unitMessages.hintExample(accepts);
}

function fail(error: UnitError): ParseResult {
  return { ok: false, error };
}

function toSi(value: number, def: Scale): number {
  return (value * (def.mul ?? 1)) / (def.div ?? 1);
}

const NUMBER = /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?/;
/** Characters that, right after a number, mean the number itself is malformed (`1.2.3`, `1,5`). */
const NUMBER_TAIL = /^[0-9._,]/;
const NUMBER_ISH = /^[0-9._,eE+-]+/;

function zeroQuantity(value: number, def: UnitDef): ParseResult {
  return { ok: true, quantity: { value, unit: def.symbol, dimension: def.dimension, si: 0 } };
}

function bareNumber(value: number, numberText: string, accepts: Accepts, at?: [number, number]): ParseResult {
  const zeroDef = ZERO_WITHOUT_UNIT[accepts];
  // `+ 0` turns -0 into 0 so downstream equality and JSON output never see a signed zero.
  if (value === 0 && zeroDef) return zeroQuantity(value + 0, zeroDef);
  return fail({
    code: UNIT_ERROR.missing,
    message: unitMessages.missing(numberText, accepts),
    hint: unitMessages.hintMissing(accepts),
    ...(at ? { offset: at[0], length: at[1] } : {}),
  });
}

/**
 * Parse a scenario value into a quantity of a dimension `accepts` admits.
 *
 * For `interval` the result is always a time (si in seconds): a rate r becomes 1/r s, while
 * `value` and `unit` keep what was written (`2000`, `/s`). For `cost` and `cost_per_byte` the
 * result keeps the dimension written, because cycles scale with the clock and time does not.
 */
export function parseQuantity(input: string | number, accepts: Accepts): ParseResult {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) {
      return fail({ code: UNIT_ERROR.invalidNumber, message: unitMessages.notFinite(String(input)) });
    }
    return bareNumber(input, String(input), accepts);
  }
  // YAML hands over booleans, nulls and maps too; reject them as data, not as a crash.
  if (typeof input !== "string") {
    const raw: unknown = input;
    const type = raw === null ? "null" : Array.isArray(raw) ? "list" : typeof raw === "object" ? "map" : typeof raw;
    return fail({
      code: UNIT_ERROR.invalidNumber,
      message: unitMessages.wrongType(type, accepts),
      hint: unitMessages.hintExample(accepts),
    });
  }

  const start = input.length - input.trimStart().length;
  const end = input.trimEnd().length;
  if (start >= end) {
    return fail({
      code: UNIT_ERROR.invalidNumber,
      message: unitMessages.empty(accepts),
      hint: unitMessages.hintExample(accepts),
      offset: 0,
      length: input.length,
    });
  }
  const text = input.slice(start, end);

  const match = NUMBER.exec(text);
  if (!match) {
    const word = /^\S+/.exec(text)![0];
    return fail({
      code: UNIT_ERROR.invalidNumber,
      message: unitMessages.notANumber(text, accepts),
      hint: unitMessages.hintExample(accepts),
      offset: start,
      length: word.length,
    });
  }
  const numberText = match[0];
  if (NUMBER_TAIL.test(text.slice(numberText.length))) {
    const whole = NUMBER_ISH.exec(text)![0];
    return fail({
      code: UNIT_ERROR.invalidNumber,
      message: unitMessages.badNumber(whole),
      hint: unitMessages.hintSeparator(),
      offset: start,
      length: whole.length,
    });
  }
  const value = Number(numberText.replace(/_/g, ""));
  if (!Number.isFinite(value)) {
    return fail({
      code: UNIT_ERROR.invalidNumber,
      message: unitMessages.tooLarge(numberText),
      offset: start,
      length: numberText.length,
    });
  }

  const rest = text.slice(numberText.length);
  const unitStart = start + numberText.length + (rest.length - rest.trimStart().length);
  const unitRaw = input.slice(unitStart, end);
  if (unitRaw === "") return bareNumber(value, numberText, accepts, [start, numberText.length]);
  const unitAt = { offset: unitStart, length: unitRaw.length };

  // `8000 / s` and `Mb / s` mean the same as without the spaces.
  const unit = unitRaw.replace(/\s*\/\s*/g, "/");
  const def = BY_SPELLING.get(unit);
  if (!def && /^[kKmMgG]\/s$/.test(unit) && ACCEPTED_DIMENSIONS[accepts].includes("event_rate")) {
    // `8 k/s`: a prefix alone is not a unit; `/s` would make it 1000 times too small.
    const factor = /^[kK]/.test(unit) ? 1e3 : /^[mM]/.test(unit) ? 1e6 : 1e9;
    return fail({ code: UNIT_ERROR.unknown, message: unitMessages.unknown(unit, accepts), hint: `Write the rate out in full: \`${value * factor}/s\`.`, ...unitAt });
  }
  if (!def) {
    const { suggestions, caseOnly } = suggest(unit, accepts);
    const hint =
      suggestions.length === 0
        ? unitMessages.hintExample(accepts)
        : caseOnly
          ? unitMessages.hintCase(suggestions)
          : unitMessages.hintDidYouMean(suggestions);
    return fail({ code: UNIT_ERROR.unknown, message: unitMessages.unknown(unit, accepts), hint, ...unitAt });
  }
  if (!ACCEPTED_DIMENSIONS[accepts].includes(def.dimension)) {
    return fail({
      code: UNIT_ERROR.dimension,
      message: unitMessages.dimension(unit, def.dimension, accepts),
      hint: dimensionHint(unit, def, accepts),
      ...unitAt,
    });
  }

  const si = toSi(value, def) + 0;
  if (!Number.isFinite(si)) {
    return fail({
      code: UNIT_ERROR.invalidNumber,
      message: unitMessages.tooLarge(text),
      offset: start,
      length: text.length,
    });
  }
  if (accepts === "interval" && def.dimension === "event_rate") {
    if (si === 0) {
      return fail({
        code: UNIT_ERROR.rateZero,
        message: unitMessages.rateZero(),
        hint: unitMessages.hintRateZero(),
        offset: start,
        length: text.length,
      });
    }
    return { ok: true, quantity: { value, unit, dimension: "time", si: 1 / si } };
  }
  return { ok: true, quantity: { value, unit, dimension: def.dimension, si } };
}

/**
 * Display candidates per dimension, in order of preference when two are equally short.
 * A unit is a candidate while the number in it lies in [low, high).
 */
interface DisplayUnit {
  symbol: string;
  low: number;
  high: number;
}

const DISPLAY: Record<QuantityDimension, readonly DisplayUnit[]> = {
  time: [
    { symbol: "ns", low: 0, high: 1000 },
    { symbol: "us", low: 1, high: 1000 },
    { symbol: "ms", low: 1, high: 1000 },
    { symbol: "s", low: 1, high: Infinity },
  ],
  // Bytes win ties up to 9999 so an MTU reads `1500 B`, not `1.5 kB`; binary units win when
  // they are shorter (`4096` → `4 KiB`), decimal ones when they are exact (`1e6` → `1 MB`).
  size: [
    { symbol: "B", low: 0, high: 10000 },
    { symbol: "KiB", low: 1, high: 1024 },
    { symbol: "MiB", low: 1, high: 1024 },
    { symbol: "GiB", low: 1, high: Infinity },
    { symbol: "kB", low: 1, high: 1000 },
    { symbol: "MB", low: 1, high: 1000 },
    { symbol: "GB", low: 1, high: Infinity },
  ],
  data_rate: [
    { symbol: "bit/s", low: 0, high: 1000 },
    { symbol: "kb/s", low: 1, high: 1000 },
    { symbol: "Mb/s", low: 1, high: 1000 },
    { symbol: "Gb/s", low: 1, high: Infinity },
  ],
  event_rate: [{ symbol: "/s", low: 0, high: Infinity }],
  frequency: [
    { symbol: "Hz", low: 0, high: 1000 },
    { symbol: "kHz", low: 1, high: 1000 },
    { symbol: "MHz", low: 1, high: 1000 },
    { symbol: "GHz", low: 1, high: Infinity },
  ],
  cycles: [{ symbol: "cycles", low: 0, high: Infinity }],
  cost_per_byte_cycles: [{ symbol: "cycles/B", low: 0, high: Infinity }],
  cost_per_byte_time: [{ symbol: "ns/B", low: 0, high: Infinity }],
};

const ZERO_DISPLAY: Record<QuantityDimension, string> = {
  time: "s",
  size: "B",
  data_rate: "bit/s",
  event_rate: "/s",
  frequency: "Hz",
  cycles: "cycles",
  cost_per_byte_cycles: "cycles/B",
  cost_per_byte_time: "ns/B",
};

const DISPLAY_DIGITS = 4;

function withUnit(n: number, symbol: string): string {
  if (symbol === "/s") return `${n}/s`;
  if (symbol === "cycles" && n === 1) return "1 cycle";
  return `${n} ${symbol}`;
}

function significantDigits(v: number): number {
  for (let k = 1; k < DISPLAY_DIGITS; k++) {
    if (Number(v.toPrecision(k)) === Number(v.toPrecision(DISPLAY_DIGITS))) return k;
  }
  return DISPLAY_DIGITS;
}

/**
 * A short human form of an SI value, e.g. 9e-7 s → "900 ns", 850e6 bit/s → "850 Mb/s",
 * 67108864 B → "64 MiB". At most four significant digits; parseQuantity reads it back.
 */
export function formatQuantity(si: number, dimension: QuantityDimension): string {
  if (!Number.isFinite(si)) return `${si} ${ZERO_DISPLAY[dimension]}`;
  if (si === 0) return withUnit(0, ZERO_DISPLAY[dimension]);
  const magnitude = Math.abs(si);
  let best: { n: number; symbol: string; exact: boolean; digits: number; error: number } | undefined;
  for (const unit of DISPLAY[dimension]) {
    const def = BY_SPELLING.get(unit.symbol)!;
    const v = (magnitude * (def.div ?? 1)) / (def.mul ?? 1);
    if (v < unit.low || v >= unit.high) continue;
    const n = Number(v.toPrecision(DISPLAY_DIGITS));
    const error = Math.abs(n - v) / v;
    // A byte count is exact only to the byte (1 GiB + 1 B is not "1 GiB"); else to 1e-9.
    const exact = dimension === "size" && Number.isInteger(magnitude) ? Math.round((n * (def.mul ?? 1)) / (def.div ?? 1)) === magnitude : error <= 1e-9;
    const digits = significantDigits(v);
    const better =
      !best ||
      (exact && !best.exact) ||
      (exact && best.exact && digits < best.digits) ||
      (!exact && !best.exact && error < best.error);
    if (better) best = { n, symbol: unit.symbol, exact, digits, error };
  }
  // Every list has a candidate open at 0 and one open to infinity, so `best` is set.
  const chosen = best!;
  // A byte count no unit shows exactly (65535 B is not "64 KiB"): the bytes themselves.
  if (dimension === "size" && !chosen.exact && Number.isInteger(si)) return withUnit(si, "B");
  return withUnit(si < 0 ? -chosen.n : chosen.n, chosen.symbol);
}
