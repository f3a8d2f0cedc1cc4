/**
 * Every user-facing diagnostic message, in one catalog keyed by its stable code. Code that
 * reports a problem calls `msg.<code>(…)`; tests compare against this catalog, never against
 * copied strings. The codes are part of the interface: users grep for them and CI scripts
 * match them, so a code is never renamed.
 */
export interface MessageParts {
  message: string;
  hint?: string;
}

const q = (s: unknown) => JSON.stringify(s);
const list = (xs: readonly string[]) => xs.map((x) => q(x)).join(", ");
const didYouMean = (s: string | undefined) => (s ? `did you mean ${q(s)}?` : undefined);

/** Where a dotted path stopped resolving and what is there (src/dsl/schema-path.ts). */
export interface PathKnown {
  prefix: string;
  keys: string[];
  type?: string;
}

/** "workload (disk-read) has: type, device, bytes, …" — when no spelling is close enough. */
function knownHint(k: PathKnown | undefined): string | undefined {
  if (!k || k.keys.length === 0) return undefined;
  const where = k.prefix ? `${k.prefix}${k.type ? ` (${k.type})` : ""}` : "a scenario";
  const shown = k.keys.slice(0, 14).join(", ") + (k.keys.length > 14 ? ", …" : "");
  return `${where} has: ${shown}`;
}

/** "an ide-disk", "a timer", "a udp-echo": the article as the name is read aloud. */
const a = (word: string) => `${/^[aeio]/i.test(word) ? "an" : "a"} ${word}`;

export const msg = {
  // --- Files ---
  "file-not-found": (file: string, similar?: string): MessageParts => ({
    message: `cannot read ${q(file)}: no such file`,
    hint: similar ? `did you mean ${q(similar)}?` : "check the path; it is relative to the current directory",
  }),
  "file-is-directory": (file: string): MessageParts => ({
    message: `${q(file)} is a directory, not a scenario file`,
    hint: "give the path of a .yaml file inside it",
  }),
  "file-unreadable": (file: string, why: string): MessageParts => ({ message: `cannot read ${q(file)}: ${why}` }),
  "file-too-large": (file: string, bytes: number, limit: number): MessageParts => ({
    message: `${q(file)} is ${bytes} bytes; scenario files are limited to ${limit} bytes`,
    hint: "a scenario describes a sweep; it should not need to list data",
  }),
  "file-binary": (file: string): MessageParts => ({
    message: `${q(file)} is not a text file (it contains NUL bytes)`,
    hint: "scenario files are YAML text in UTF-8",
  }),
  "file-encoding": (file: string): MessageParts => ({
    message: `${q(file)} is not valid UTF-8`,
    hint: "save the file as UTF-8",
  }),
  "file-empty": (file: string): MessageParts => ({
    message: `${q(file)} is empty`,
    hint: "a scenario needs at least `machine`, `devices` and `workload`; see scenarios/ for examples",
  }),

  // --- YAML syntax ---
  "yaml-syntax": (detail: string, code?: string): MessageParts => ({
    message: `YAML syntax error: ${detail}`,
    hint:
      code === "MISSING_CHAR" || /must be sufficiently indented and end with/.test(detail)
        ? "a { [ or quote opened on this line or one above is not closed"
        : code === "BAD_INDENT"
          ? "keys of one section line up, each nested one two spaces further in"
          : "check the quotes, brackets and indentation here and on the line above; a value with `: ` or a leading `#`, `*`, `&` or `!` needs quotes",
  }),
  "yaml-indent": (keyAbove: string): MessageParts => ({
    message: `this line is indented more than \`${keyAbove}:\` above it, so YAML reads it as part of that value`,
    hint: `line it up with \`${keyAbove}:\` if it is another key of the same section, or indent a section under a key that has no value of its own`,
  }),
  "yaml-tab": (): MessageParts => ({
    message: "tab character used for indentation",
    hint: "YAML indents with spaces only; replace the tab with spaces",
  }),
  "yaml-duplicate-key": (key: string): MessageParts => ({
    message: `duplicate key ${q(key)}`,
    hint: "each key may appear once in a mapping; remove or rename one of them",
  }),
  "yaml-multiple-documents": (): MessageParts => ({
    message: "the file holds more than one YAML document",
    hint: "a scenario is one document; remove the `---` separator or split the file",
  }),
  "yaml-alias-limit": (limit: number): MessageParts => ({
    message: `the document expands to more than ${limit} nodes through aliases`,
    hint: "YAML aliases (*name) are expanded; a chain of aliases referring to aliases grows exponentially",
  }),
  "yaml-non-string-key": (): MessageParts => ({
    message: "mapping keys must be plain strings",
    hint: "quote the key or use a plain name",
  }),
  "yaml-not-mapping": (): MessageParts => ({
    message: "a scenario must be a YAML mapping (key: value pairs) at the top level",
  }),

  // --- Schema ---
  "schema-unknown-key": (key: string, where: string, allowed: readonly string[], suggestion?: string): MessageParts => ({
    message: `unknown key ${q(key)} in ${where}`,
    hint: didYouMean(suggestion) ?? `allowed keys: ${allowed.join(", ")}`,
  }),
  "schema-missing-key": (key: string, where: string): MessageParts => ({
    message: `missing required key ${q(key)} in ${where}`,
    hint:
      key === "devices"
        ? "add the machine's devices by name, e.g. `devices: {eth0: {type: gige-nic}}` or `devices: {hda: {type: ide-disk}}`"
        : key === "workload"
          ? "add what runs, e.g. `workload: {type: udp-echo, device: eth0}` or `workload: {type: disk-read, device: hda}`"
          : `add \`${key}:\` (docs/scenario-language.md says what it takes)`,
  }),
  "schema-type": (expected: string, got: string): MessageParts => ({
    message: `expected ${expected}, got ${got}`,
  }),
  "schema-enum": (got: unknown, allowed: readonly unknown[], suggestion?: string): MessageParts => ({
    message: `${q(got)} is not one of ${allowed.map((a) => q(a)).join(", ")}`,
    ...(suggestion ? { hint: `did you mean ${q(suggestion)}?` } : {}),
  }),
  "schema-range": (value: string, bound: string, limit: string, what?: string): MessageParts => ({
    message: `${value} is ${bound} ${limit}${what ? ` (${what})` : ""}`,
  }),
  "schema-other": (detail: string): MessageParts => ({ message: detail }),

  // --- Units (messages come from units.ts; these wrap them) ---
  "unit-missing": (message: string, hint?: string): MessageParts => ({ message, ...(hint ? { hint } : {}) }),
  "unit-unknown": (message: string, hint?: string): MessageParts => ({ message, ...(hint ? { hint } : {}) }),
  "unit-dimension": (message: string, hint?: string): MessageParts => ({ message, ...(hint ? { hint } : {}) }),
  "number-invalid": (message: string, hint?: string): MessageParts => ({ message, ...(hint ? { hint } : {}) }),
  "rate-zero": (message: string, hint?: string): MessageParts => ({ message, ...(hint ? { hint } : {}) }),

  // --- extends ---
  "extends-not-found": (target: string): MessageParts => ({
    message: `extends: cannot find ${q(target)}`,
    hint: "the path is relative to the file that names it",
  }),
  "extends-cycle": (chain: readonly string[]): MessageParts => ({
    message: `extends forms a cycle: ${chain.join(" → ")}`,
    hint: "a scenario may extend a base, which may extend another, but never itself",
  }),

  // --- presets ---
  "preset-unknown": (kind: string, name: string, known: readonly string[], suggestion?: string): MessageParts => ({
    message: `unknown ${kind} preset ${q(name)}`,
    hint: didYouMean(suggestion) ?? `known ${kind} presets: ${list(known)}`,
  }),
  "preset-wrong-type": (name: string, forType: string, deviceType: string): MessageParts => ({
    message: `preset ${q(name)} describes ${a(forType)}, but this device is ${a(deviceType)}`,
  }),

  // --- semantics ---
  "device-unknown": (name: string, known: readonly string[], suggestion?: string): MessageParts => ({
    message: `no device named ${q(name)}`,
    hint: didYouMean(suggestion) ?? (known.length ? `devices in this scenario: ${list(known)}` : "this scenario has no devices"),
  }),
  "device-wrong-type": (name: string, type: string, expected: string, workload: string): MessageParts => ({
    message: `device ${q(name)} is ${a(type)}; the ${workload} workload needs ${a(expected)}`,
  }),
  "workload-buffered-io": (): MessageParts => ({
    message: "buffered reads are not modelled: disk-read only supports O_DIRECT",
    hint: "remove `o_direct: false`; loopdrv has no page cache, so buffered reads would measure nothing real",
  }),
  "fault-device-unsupported": (name: string, type: string, supported: readonly string[]): MessageParts => ({
    message: `device ${q(name)} is ${a(type)}; faults can only be injected into the drivers of: ${supported.join(", ")}`,
  }),
  "fault-recovery-tap": (name: string): MessageParts => ({
    message: `device ${q(name)} talks to its user-level driver through the TUN/TAP loopback; driver faults are modelled with the shared rings only`,
    hint: "use `loopback: rings` (the paper's), or put the driver in the kernel",
  }),
  "fault-trigger-missing": (name: string): MessageParts => ({
    message: `fault ${q(name)} says what fails but not when`,
    hint: "give `at` (a time), `every` (a period) or `probability` (per driver activation)",
  }),
  "fault-trigger-both": (name: string): MessageParts => ({
    message: `fault ${q(name)} is both timed and random`,
    hint: "a fault happens at times (`at`, `every`) or with a `probability` per driver activation, not both",
  }),
  "reference-unknown": (name: string, known: readonly string[], suggestion?: string): MessageParts => ({
    message: `unknown reference data ${q(name)}`,
    hint: didYouMean(suggestion) ?? `packaged references: ${list(known)}`,
  }),
  "transfer-not-sector-multiple": (bytes: number): MessageParts => ({
    message: `transfer size ${bytes} B is not a whole number of 512-byte sectors`,
    hint: "O_DIRECT transfers are whole sectors; write e.g. `8 sectors` or `4 KiB`",
  }),

  // --- sweeps ---
  "sweep-path-unknown": (path: string, suggestion?: string, known?: PathKnown): MessageParts => ({
    message: `${q(path)} is not a parameter of this scenario`,
    hint: didYouMean(suggestion) ?? knownHint(known) ?? "a sweep axis is a dotted path to a value, e.g. workload.offered_load",
  }),
  "sweep-path-not-model": (path: string, roots: readonly string[]): MessageParts => ({
    message: `${q(path)} is a label, not something the model reads: sweeping it would run the same point again`,
    hint: `sweep values under ${roots.join(", ")}`,
  }),
  "sweep-path-not-value": (path: string): MessageParts => ({
    message: `${q(path)} names a section, not a single value`,
    hint: "sweep one value at a time, e.g. devices.eth0.driver.placement",
  }),
  "sweep-duplicate-axis": (path: string): MessageParts => ({
    message: `${q(path)} is swept twice`,
    hint: "an axis may appear in `matrix` or in `zip`, once",
  }),
  "sweep-zip-length": (lengths: string): MessageParts => ({
    message: `zip axes must have the same number of values (${lengths})`,
  }),
  "sweep-empty": (path: string): MessageParts => ({ message: `sweep axis ${q(path)} has no values` }),
  "sweep-range-step": (): MessageParts => ({
    message: "a range needs a positive step",
    hint: "write {from: 100 Mb/s, to: 1000 Mb/s, step: 100 Mb/s}",
  }),
  "sweep-range-too-long": (count: number, limit: number): MessageParts => ({
    message: `this range has ${count} values (limit ${limit} per range, --force or not)`,
    hint: "use a larger step; a range this long is usually a mistyped step, and if it is not, split it into several ranges in the list",
  }),
  "sweep-range-units": (): MessageParts => ({
    message: "from, to and step of a range must be of the same dimension",
  }),
  "sweep-too-large": (count: number, limit: number): MessageParts => ({
    message: `the sweep expands to ${count} points (more than ${limit})`,
    hint: "narrow the sweep, or pass --force if you really mean it",
  }),
  "sweep-exclude-path": (path: string): MessageParts => ({
    message: `exclude names ${q(path)}, which is not a swept axis`,
    hint: "exclude combinations of swept values only",
  }),
  "sweep-all-excluded": (): MessageParts => ({ message: "every point of the sweep is excluded" }),
  "sweep-duplicate-value": (path: string, value: string): MessageParts => ({
    message: `sweep axis ${q(path)} lists ${value} more than once`,
  }),

  // --- expect ---
  "expect-metric-unknown": (metric: string, suggestion?: string): MessageParts => ({
    message: `unknown metric ${q(metric)}`,
    hint: didYouMean(suggestion) ?? "see docs/scenario-language.md for the metric names",
  }),
  "expect-tolerance-op": (op: string): MessageParts => ({
    message: `\`tolerance\` applies to == and != only, and this check uses ${q(op)}`,
    hint: "for an ordering, write the margin into the value (e.g. `< 61%` instead of `< 60%` with a tolerance)",
  }),
  "expect-value-or-ratio": (): MessageParts => ({
    message: "an expectation needs exactly one of `value` or `ratio`",
  }),
  "metric-not-produced": (metric: string, workload: string, faults: boolean): MessageParts => ({
    message: `${a(workload)} scenario never reports ${metric}`,
    hint: /_sd(\.|$)/.test(metric)
      ? "a standard deviation is over workload.repetitions, which only disk-read has"
      : metric.startsWith("fault.") || metric === "drops.driver_fault"
      ? faults
        ? "see docs/faults.md for the fault metrics"
        : "fault metrics come only with a `faults:` block (docs/faults.md)"
      : metric.startsWith("latency_s") || metric === "offered_bits_per_s" || (metric.startsWith("drops.") && workload !== "udp-echo")
        ? "the network metrics (latency, offered load, drops by stage) come from udp-echo"
        : "docs/scenario-language.md lists which workload reports which metric",
  }),
  "fault-after-run": (name: string, when: string, end: string, quick: boolean, fromQuickBlock: boolean): MessageParts => ({
    message: `fault ${q(name)} (${when}) comes after the run ends (at ${end}): it never strikes`,
    hint: fromQuickBlock
      ? "this `run.quick` value is later than the quick run's end: give the fault a time inside it"
      : quick
        ? "--quick shortens the run (by the scenario's `run.quick` block, else durations ÷ 10): give the fault a time inside it there too, e.g. `run.quick: {faults.inject.<name>.at: …}` (docs/faults.md)"
        : "make run.warmup + run.duration longer than the fault's time, or move the fault",
  }),
  "metric-sd-one-repetition": (metric: string): MessageParts => ({
    message: `${q(metric)} is a standard deviation over repetitions, and the points it is judged on run one each`,
    hint: "set workload.repetitions to 2 or more (e.g. 5) to measure it",
  }),
  "figure-not-swept": (what: string, path: string, swept: readonly string[], suggestion?: string): MessageParts => ({
    message: `figure.${what} ${q(path)} is not ${what === "x" ? "a swept numeric parameter" : "a swept parameter"} of this scenario`,
    hint: suggestion ? `did you mean ${q(suggestion)}?` : swept.length ? `swept: ${swept.join(", ")}` : "this scenario sweeps nothing: the figure needs a swept numeric parameter",
  }),
  "expect-value": (metric: string, why: string): MessageParts => ({
    message: `${why} (the value of ${metric})`,
    hint: "a fraction as 0.61 or 61%, a count as a number, a rate as 5000/s, a data rate or time with its unit",
  }),
  "expect-where-none": (where: string, seen: string): MessageParts => ({
    message: `\`where\` selects no point of this scenario: ${where}`,
    hint: seen,
  }),
  "expect-at-point": (where: string, n: number): MessageParts => ({
    message: `\`at: point\` needs exactly one point, and ${where} selects ${n}`,
    hint: "narrow `where` to one point, or use `at: peak` or `at: all`",
  }),
  "expect-where-path": (path: string, suggestion?: string, known?: PathKnown): MessageParts => {
    const hint = suggestion ? `did you mean ${q(suggestion)}?` : knownHint(known);
    return { message: `${q(path)} in \`where\` is not a parameter of this scenario`, ...(hint ? { hint } : {}) };
  },

  // --- --set ---
  "set-syntax": (text: string): MessageParts => ({
    message: `--set expects path=value, got ${q(text)}`,
    hint: "e.g. --set devices.eth0.driver.placement=user",
  }),
  "set-path-unknown": (path: string, suggestion?: string, known?: PathKnown): MessageParts => ({
    message: `${q(path)} is not a parameter of this scenario`,
    hint: didYouMean(suggestion) ?? knownHint(known) ?? "paths are dotted, e.g. workload.offered_load",
  }),

  // --- merge (shard documents) ---
  "merge-unreadable": (file: string, why: string): MessageParts => ({ message: `cannot read ${q(file)}: ${why}` }),
  "merge-file-differs": (here: string, there: string, firstFile: string): MessageParts => ({
    message: `the scenario was read from ${q(here)} here and from ${q(there)} in ${firstFile}; the scenarios are the same, so the shards are merged, and the document records ${q(there)}`,
    hint: "run every shard from the same directory with the same path to get the single run's document byte for byte",
  }),
  "merge-not-json": (why: string): MessageParts => ({
    message: `not JSON: ${why}`,
    hint: "give the results.json that `loopdrv run --shard i/n --out DIR` wrote, or what `--json` printed",
  }),
  "merge-not-results": (format: unknown): MessageParts => ({
    message: `not a loopdrv results document (format ${format === undefined ? "missing" : q(format)}, expected "loopdrv-results/1")`,
  }),
  "merge-mismatch": (what: string, here: string, there: string, otherFile: string): MessageParts => ({
    message: `${what} is ${here} here but ${there} in ${q(otherFile)}`,
    hint: "merge the shards of one run: same scenario file, --set and --seed, --quick, and the same loopdrv build (model_version)",
  }),
  "merge-shard-invalid": (shard: string): MessageParts => ({
    message: `\`shard\` is ${shard}; expected {"index": i, "count": n} with whole numbers 1 ≤ i ≤ n`,
  }),
  "merge-shard-count": (count: number, otherCount: number, otherFile: string): MessageParts => ({
    message: `this document is one of ${count} shard${count === 1 ? "" : "s"}, but ${q(otherFile)} is one of ${otherCount}`,
    hint: "every shard of a run uses the same n in --shard i/n",
  }),
  "merge-duplicate-shard": (shard: string, otherFile: string): MessageParts => ({
    message: `shard ${shard} is also given as ${q(otherFile)}`,
    hint: "give each shard's document once",
  }),
  "merge-missing-shard": (shards: string, count: number): MessageParts => ({
    message: `no document for shard${shards.includes(",") ? "s" : ""} ${shards} of ${count}`,
    hint: "every shard's document is needed; run the missing one with `loopdrv run FILE --shard i/n`",
  }),
  "merge-point-id": (id: string): MessageParts => ({ message: `point id ${q(id)} is not one loopdrv writes (p0, p1, …)` }),
  "merge-point-shard": (id: string, belongs: string, shard: string): MessageParts => ({
    message: `point ${id} belongs to shard ${belongs}, not to this document's shard ${shard}`,
  }),
  "merge-duplicate-point": (id: string, otherFile: string): MessageParts => ({
    message: `point ${id} is also in ${q(otherFile)}`,
    hint: "each point must appear exactly once across the documents",
  }),
  "merge-missing-points": (ids: string): MessageParts => ({
    message: `no document has point${ids.includes(",") ? "s" : ""} ${ids}`,
    hint: "each point must appear exactly once across the documents",
  }),
} as const;

export type MessageCode = keyof typeof msg;
