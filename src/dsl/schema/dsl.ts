/**
 * Small builders for the scenario schema. Each parameter is declared once with its type,
 * unit, default, bounds, description and (where it has one) the source of its value; the
 * JSON Schema, the generated reference docs and the diagnostics all read this declaration.
 *
 * Custom keywords (registered with ajv so strict mode stays on, ignored by editors):
 * - `unit`: {accepts, min?, max?} — the value is a quantity string ("850 Mb/s") of that
 *   dimension, within the bounds (bounds written as quantities too).
 * - `source`: where a default value comes from (a paper, a manual, a measurement).
 */
import type { Accepts } from "../units.js";

export type JsonSchema = Record<string, unknown>;

interface Common {
  description: string;
  default?: unknown;
  examples?: unknown[];
  source?: string;
}

/** `zero`: what 0 means, where it is a setting of its own ("no setsockopt"); labels and legends show it. */
export function quantity(accepts: Accepts, c: Common & { min?: string; max?: string; zero?: string }): JsonSchema {
  const unit: Record<string, string> = { accepts };
  if (c.min !== undefined) unit.min = c.min;
  if (c.max !== undefined) unit.max = c.max;
  if (c.zero !== undefined) unit.zero = c.zero;
  return strip({
    type: ["string", "number"],
    description: c.description,
    unit,
    default: c.default,
    examples: c.examples,
    source: c.source,
  });
}

export function integer(c: Common & { minimum?: number; maximum?: number; multipleOf?: number }): JsonSchema {
  return strip({
    type: "integer",
    description: c.description,
    minimum: c.minimum,
    maximum: c.maximum,
    multipleOf: c.multipleOf,
    default: c.default,
    examples: c.examples,
    source: c.source,
  });
}

export function number(c: Common & { minimum?: number; maximum?: number }): JsonSchema {
  return strip({
    type: "number",
    description: c.description,
    minimum: c.minimum,
    maximum: c.maximum,
    default: c.default,
    examples: c.examples,
    source: c.source,
  });
}

export function string(c: Common & { pattern?: string; minLength?: number }): JsonSchema {
  return strip({
    type: "string",
    description: c.description,
    pattern: c.pattern,
    minLength: c.minLength,
    default: c.default,
    examples: c.examples,
  });
}

export function boolean(c: Common): JsonSchema {
  return strip({ type: "boolean", description: c.description, default: c.default });
}

export function oneOfStrings(values: readonly string[], c: Common): JsonSchema {
  return strip({ type: "string", enum: [...values], description: c.description, default: c.default, source: c.source });
}

export function object(
  description: string,
  properties: Record<string, JsonSchema>,
  opts: { required?: string[]; extra?: JsonSchema } = {},
): JsonSchema {
  return strip({
    type: "object",
    description,
    properties,
    required: opts.required?.length ? opts.required : undefined,
    additionalProperties: false,
    ...opts.extra,
  });
}

function strip(o: Record<string, unknown>): JsonSchema {
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
