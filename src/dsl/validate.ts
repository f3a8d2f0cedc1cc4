/**
 * Schema validation with ajv (draft-07, strict, all errors), and the translation of ajv's
 * errors into located diagnostics: unknown keys point at the key with "did you mean",
 * enum and unit errors at the value, missing keys at the mapping that lacks them.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { Diagnostic, SourceRange } from "../diag/diagnostic.js";
import { msg, type MessageParts } from "../diag/messages.js";
import { fromPointer, getAt, isPlainObject, toDotted } from "./pointer.js";
import { scenarioSchema } from "./schema/scenario.js";
import { parseQuantity, type Accepts } from "./units.js";
import { locationFields, type Origins } from "./layers.js";
import { suggest } from "./suggest.js";
import { suggestMetric } from "./metrics.js";

interface UnitSchema {
  accepts: Accepts;
  min?: string;
  max?: string;
}

/** Parse a bound written in the schema (a bug if it does not parse). */
function boundSi(text: string, accepts: Accepts): number {
  const r = parseQuantity(text, accepts);
  if (!r.ok) throw new Error(`bug: schema bound ${JSON.stringify(text)} does not parse: ${r.error.message}`);
  return r.quantity.si;
}

/** ajv keyword `unit`: the value is a quantity of the given dimension within bounds. */
function unitKeyword(schema: UnitSchema, data: unknown): boolean {
  const self = unitKeyword as unknown as { errors?: Partial<ErrorObject>[] };
  self.errors = [];
  if (typeof data !== "string" && typeof data !== "number") return true; // `type` reports it
  const r = parseQuantity(data, schema.accepts);
  if (!r.ok) {
    self.errors.push({ keyword: "unit", message: r.error.message, params: { ...r.error } });
    return false;
  }
  const si = r.quantity.si;
  // Costs and intervals compare in seconds; a cost in cycles is checked after normalisation.
  if (r.quantity.dimension === "cycles" && schema.accepts === "cost") return true;
  if (r.quantity.dimension === "cost_per_byte_cycles") return true;
  if (schema.min !== undefined && si < boundSi(schema.min, schema.accepts)) {
    const min = boundSi(schema.min, schema.accepts);
    const hint = schema.accepts === "interval" && r.quantity.unit.includes("/s") && min > 0 ? `as a rate, at most ${Math.floor(1 / min)}/s` : undefined;
    self.errors.push({ keyword: "unit", message: "below", params: { code: "schema-range", bound: "below the minimum", limit: schema.min, ...(hint ? { hint } : {}) } });
    return false;
  }
  // An interval written as a rate is checked as the time it stands for; say the bound as a rate too.
  const asRate = schema.accepts === "interval" && r.quantity.unit.includes("/s");
  if (schema.max !== undefined && si > boundSi(schema.max, schema.accepts)) {
    const hint = asRate ? `as a rate, at least ${Math.ceil(1 / boundSi(schema.max, schema.accepts))}/s` : undefined;
    self.errors.push({ keyword: "unit", message: "above", params: { code: "schema-range", bound: "above the maximum", limit: schema.max, ...(hint ? { hint } : {}) } });
    return false;
  }
  return true;
}

let compiled: { ajv: Ajv; validate: ValidateFunction; schema: Record<string, unknown> } | undefined;

export function scenarioValidator(): { ajv: Ajv; validate: ValidateFunction; schema: Record<string, unknown> } {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true });
  ajv.addKeyword({ keyword: "unit", schemaType: "object", validate: unitKeyword, errors: true });
  ajv.addKeyword({ keyword: "source", schemaType: "string" });
  const schema = scenarioSchema();
  const validate = ajv.compile(schema);
  compiled = { ajv, validate, schema };
  return compiled;
}

/**
 * `placement: user` written directly under a device: a key of one of this section's own
 * sections (`driver.placement`) — the usual slip of indentation. The first such section.
 */
function oneLevelDown(key: string, props: Record<string, unknown>): string | undefined {
  for (const [name, sub] of Object.entries(props)) {
    const inner = isPlainObject(sub) && isPlainObject(sub.properties) ? sub.properties : undefined;
    if (inner && Object.prototype.hasOwnProperty.call(inner, key)) return `${name}.${key}`;
  }
  return undefined;
}

function typeName(v: unknown): string {
  if (v === null) return "null (an empty value)";
  if (Array.isArray(v)) return "a list";
  if (isPlainObject(v)) return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  if (typeof v === "number") return Number.isInteger(v) ? `the number ${v}` : `the number ${v}`;
  if (typeof v === "boolean") return `${v}`;
  return typeof v;
}

function expectedType(t: unknown): string {
  const names: Record<string, string> = {
    object: "a mapping (key: value pairs)",
    array: "a list",
    string: "a string",
    number: "a number",
    integer: "a whole number",
    boolean: "true or false",
  };
  const ts = Array.isArray(t) ? t : String(t).split(",");
  if (ts.includes("string") && ts.includes("number")) return "a value with a unit (e.g. `900 MHz`) or a number";
  return ts.map((x: string) => names[x] ?? x).join(" or ");
}

/** Messages read as one lowercase clause without a final period (rustc, actionlint). */
export function plain(s: string): string {
  const t = s.replace(/\.$/, "");
  return /^[A-Z][a-z]/.test(t) ? t[0]!.toLowerCase() + t.slice(1) : t;
}

function whereName(ptr: string): string {
  const segs = fromPointer(ptr);
  return segs.length ? `\`${toDotted(segs)}\`` : "the scenario";
}

/** Turn ajv errors into diagnostics located through `origins`. */
export function ajvErrorsToDiagnostics(
  errors: readonly ErrorObject[],
  data: unknown,
  origins: Origins,
  sources?: ReadonlyMap<string, string>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  // If a value fails `oneOf`, ajv lists each branch's failure; report the value once.
  const oneOfFailed = new Set(errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
  for (const e of errors) {
    if (e.keyword === "if") continue;
    if (e.keyword !== "oneOf" && [...oneOfFailed].some((p) => e.instancePath === p || e.instancePath.startsWith(p + "/")) && !e.schemaPath.includes("/then/")) {
      continue;
    }
    let ptr = e.instancePath;
    let useKey = false;
    /** Where inside the value the problem lies (a unit after its number). */
    let within: { offset: number; length: number } | undefined;
    let parts: MessageParts;
    let code: string;
    const value = getAt(data, fromPointer(ptr));
    switch (e.keyword) {
      case "additionalProperties": {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const props = ((e.parentSchema as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
        const allowed = Object.keys(props);
        ptr = `${ptr}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        useKey = true;
        code = "schema-unknown-key";
        parts = msg["schema-unknown-key"](key, whereName(e.instancePath), allowed, suggest(key, allowed) ?? oneLevelDown(key, props));
        break;
      }
      case "required": {
        const key = String((e.params as { missingProperty: string }).missingProperty);
        useKey = true;
        code = "schema-missing-key";
        parts = msg["schema-missing-key"](key, whereName(ptr));
        break;
      }
      case "type":
        code = "schema-type";
        parts = msg["schema-type"](expectedType((e.params as { type: unknown }).type), typeName(value));
        // `--set path=[a, b]`: one value per --set; several are a sweep, written in the file.
        if (Array.isArray(value) && origins.get(ptr)?.kind === "set") {
          parts = { ...parts, hint: "a --set gives one value; to run several, sweep the path in the file (sweep: matrix: …), or run once per value" };
        }
        break;
      case "enum": {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
        if (/^\/expect\/\d+\/metric$|^\/figure\/y\/\d+$/.test(ptr)) {
          // 54 metric names are too many to list; suggest the nearest one.
          code = "expect-metric-unknown";
          parts = msg["expect-metric-unknown"](String(value), typeof value === "string" ? suggestMetric(value, allowed.map(String)) : undefined);
          break;
        }
        code = "schema-enum";
        parts = msg["schema-enum"](value, allowed, typeof value === "string" ? suggest(value, allowed.map(String)) : undefined);
        break;
      }
      case "minimum":
      case "maximum":
      case "exclusiveMinimum":
      case "exclusiveMaximum": {
        const p = e.params as { comparison: string; limit: number };
        code = "schema-range";
        parts = msg["schema-range"](String(value), e.keyword.startsWith("min") || e.keyword === "exclusiveMinimum" ? "below the minimum" : "above the maximum", String(p.limit));
        break;
      }
      case "multipleOf":
        code = "schema-range";
        parts = msg["schema-range"](String(value), "not a multiple of", String((e.params as { multipleOf: number }).multipleOf));
        break;
      case "unit": {
        const p = e.params as { code: string; message?: string; hint?: string; bound?: string; limit?: string };
        if (p.code === "schema-range") {
          code = "schema-range";
          parts = msg["schema-range"](String(value), p.bound!, p.limit!);
          if (p.hint) parts = { ...parts, hint: p.hint };
        } else {
          code = p.code;
          parts = { message: plain(e.message ?? p.message ?? "invalid quantity"), ...(p.hint ? { hint: plain(p.hint) } : {}) };
          const q = p as { offset?: number; length?: number };
          if (typeof q.offset === "number" && typeof q.length === "number") within = { offset: q.offset, length: q.length };
        }
        break;
      }
      case "propertyNames": {
        const name = String((e.params as { propertyName: string }).propertyName);
        ptr = `${ptr}/${name}`;
        useKey = true;
        code = "schema-other";
        parts = { message: `${JSON.stringify(name)} is not a valid name here`, hint: "names start with a letter and use letters, digits, _ and -; paths are dotted" };
        break;
      }
      case "pattern":
        if (e.propertyName !== undefined) continue; // reported by propertyNames
        code = "schema-other";
        parts = { message: `${typeName(value)} does not have the expected form`, hint: `it must match ${(e.params as { pattern: string }).pattern}` };
        break;
      case "minProperties":
        code = "schema-other";
        parts = { message: `${whereName(ptr)} needs at least ${(e.params as { limit: number }).limit} entry` };
        break;
      case "minItems":
        code = "schema-other";
        parts = { message: `${whereName(ptr)} needs at least ${(e.params as { limit: number }).limit} item` };
        break;
      case "maxItems": {
        const limit = (e.params as { limit: number }).limit;
        code = "schema-other";
        parts = {
          message: `${whereName(ptr)} takes at most ${limit} item${limit === 1 ? "" : "s"}, and this list has ${Array.isArray(value) ? value.length : "more"}`,
          ...(ptr === "/figure/y" ? { hint: "a figure has a y axis on each side: choose two metrics (another figure: a copy of the scenario that extends it)" } : {}),
        };
        break;
      }
      case "oneOf":
        code = "schema-type";
        parts = { message: `${typeName(value)} is not a valid value here`, hint: "expected a value, or a range {from, to, step}" };
        break;
      default:
        code = "schema-other";
        parts = { message: `${whereName(ptr)}: ${e.message ?? e.keyword}` };
    }
    let loc = origins.locate(ptr, useKey);
    if (loc && within) loc = { ...loc, range: narrow(loc.range, within, loc.sourceText ?? sources?.get(loc.range.file)) };
    const key = `${code}|${ptr}|${parts.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      code,
      severity: "error",
      kind: "user",
      message: parts.message,
      ...(parts.hint ? { hint: parts.hint } : {}),
      ...locationFields(loc),
    });
  }
  return out;
}

/** Point a value's range at the part of it that is wrong (a scalar on one line; quotes skipped). */
function narrow(range: SourceRange, within: { offset: number; length: number }, text: string | undefined): SourceRange {
  if (text === undefined || range.start.line !== range.end.line) return range;
  const line = text.split(/\r?\n/)[range.start.line - 1] ?? "";
  const first = line[range.start.col - 1];
  const quote = first === '"' || first === "'" ? 1 : 0;
  const col = range.start.col + quote + within.offset;
  if (col + within.length > range.end.col + 1) return range;
  return { ...range, start: { line: range.start.line, col }, end: { line: range.start.line, col: col + Math.max(1, within.length) } };
}

/** Validate a merged scenario value. */
export function validateScenarioValue(data: unknown, origins: Origins, sources?: ReadonlyMap<string, string>): Diagnostic[] {
  const { validate } = scenarioValidator();
  if (validate(data)) return [];
  return ajvErrorsToDiagnostics(validate.errors ?? [], data, origins, sources);
}
