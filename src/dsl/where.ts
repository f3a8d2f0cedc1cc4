/**
 * The `where` of an `expect:` check: which points it selects. A key is a dotted parameter
 * path (or the end of one swept path: `offered_load`); a point's value is its swept value,
 * else the scenario's; the value written is read in that path's unit (`850 Mb/s`). Used
 * when checks are evaluated (src/run/expect.ts) and when the plan is checked (plan.ts: a
 * `where` that selects no point is an error before anything runs).
 */
import { fromDotted, getAt } from "./pointer.js";
import { resolveSchemaPath } from "./schema-path.js";
import { parseQuantity, type Accepts } from "./units.js";

/** Relative closeness for comparing a `where` value with a point's SI value. */
const SAME = 1e-9;

export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || Math.abs(a - b) <= SAME * Math.max(Math.abs(a), Math.abs(b));
  return a === b;
}

/** The params key a `where` key names: the path itself, or the one swept path ending in it. */
export function paramKey(params: Readonly<Record<string, unknown>>, key: string): string | undefined {
  if (key in params) return key;
  const hits = Object.keys(params).filter((k) => k.endsWith(`.${key}`));
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * A point's value of `key` (swept value, else the scenario's), and the value `want` written
 * in the scenario converted to SI by the unit of that path. `undefined` when the path is
 * unknown to both.
 */
export function whereValues(
  point: { params: Readonly<Record<string, unknown>> },
  normalised: unknown,
  key: string,
  want: unknown,
): { have: unknown; want: unknown } | undefined {
  const pk = paramKey(point.params, key);
  const path = pk ?? key;
  const have = pk !== undefined ? point.params[pk] : getAt(normalised, fromDotted(key));
  if (have === undefined) return undefined;
  if (typeof have === "number" && typeof want === "string") {
    const r = resolveSchemaPath(normalised, fromDotted(path));
    const unit = r.ok ? (r.schema.unit as { accepts: Accepts } | undefined) : undefined;
    if (unit) {
      const q = parseQuantity(want, unit.accepts);
      return { have, want: q.ok ? q.quantity.si : want };
    }
    const n = Number(want);
    return { have, want: Number.isFinite(n) ? n : want };
  }
  return { have, want };
}

export function matchesWhere(point: { params: Readonly<Record<string, unknown>> }, normalised: unknown, where: Readonly<Record<string, unknown>> | undefined): boolean {
  for (const [k, v] of Object.entries(where ?? {})) {
    const w = whereValues(point, normalised, k, v);
    if (!w || !sameValue(w.have, w.want)) return false;
  }
  return true;
}
