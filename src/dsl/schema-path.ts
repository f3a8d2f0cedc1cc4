/**
 * Walking the scenario schema along a dotted path, following the document where the schema
 * depends on it (a device's or workload's `type` selects its variant). Used to check sweep
 * axes, `--set` and `where:` paths, and by normalisation to find each value's unit.
 */
import { isPlainObject, getAt } from "./pointer.js";
import { scenarioSchema } from "./schema/scenario.js";
import { suggest } from "./suggest.js";

import type { PathKnown } from "../diag/messages.js";

export type SchemaNode = Record<string, unknown>;

let root: SchemaNode | undefined;
export function rootSchema(): SchemaNode {
  return (root ??= scenarioSchema());
}

function deref(node: SchemaNode): SchemaNode {
  const ref = node.$ref;
  if (typeof ref === "string" && ref.startsWith("#/definitions/")) {
    const defs = rootSchema().definitions as Record<string, SchemaNode>;
    return defs[ref.slice("#/definitions/".length)]!;
  }
  return node;
}

/** If `node` selects a variant by `type`, the variant for the document's value (or undefined). */
export function variantFor(node: SchemaNode, docValue: unknown): SchemaNode | undefined {
  const allOf = node.allOf as SchemaNode[] | undefined;
  if (!allOf) return undefined;
  const t = isPlainObject(docValue) ? docValue.type : undefined;
  for (const branch of allOf) {
    const cond = (branch.if as SchemaNode | undefined)?.properties as Record<string, SchemaNode> | undefined;
    if (cond?.type?.const === t) return deref(branch.then as SchemaNode);
  }
  return undefined;
}

/** The schema node of a value (resolving variants by the document). */
export function effective(node: SchemaNode, docValue: unknown): SchemaNode {
  return variantFor(node, docValue) ?? deref(node);
}

export function isLeafSchema(node: SchemaNode): boolean {
  return node.type !== "object" && node.type !== "array";
}

export type PathResolution =
  | { ok: true; schema: SchemaNode; leaf: boolean }
  | { ok: false; at: number; suggestion?: string; known: PathKnown };

/** What exists where a path stopped resolving (the prefix that resolved, the keys or names there, its `type`). */
export type { PathKnown };

/** Resolve a path in the schema, given the document (for device names and variants). */
export function resolveSchemaPath(doc: unknown, segs: readonly string[]): PathResolution {
  let node = effective(rootSchema(), doc);
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const here = getAt(doc, segs.slice(0, i));
    node = effective(node, here);
    const props = node.properties as Record<string, SchemaNode> | undefined;
    if (props && Object.prototype.hasOwnProperty.call(props, seg)) {
      node = props[seg]!;
      continue;
    }
    const addl = node.additionalProperties;
    if (isPlainObject(addl) && node.type === "object") {
      // A map keyed by name (devices): the name must exist in the document.
      const existing = isPlainObject(here) ? Object.keys(here) : [];
      if (!existing.includes(seg) && node.propertyNames) {
        return { ok: false, at: i, suggestion: suggestFull(doc, segs, i, existing), known: knownAt(segs, i, existing, here) };
      }
      node = addl as SchemaNode;
      continue;
    }
    const keys = props ? Object.keys(props) : [];
    return { ok: false, at: i, suggestion: suggestFull(doc, segs, i, keys), known: knownAt(segs, i, keys, here) };
  }
  node = effective(node, getAt(doc, segs));
  return { ok: true, schema: node, leaf: isLeafSchema(node) };
}

function knownAt(segs: readonly string[], i: number, keys: string[], here: unknown): PathKnown {
  const type = isPlainObject(here) && typeof here.type === "string" ? here.type : undefined;
  return { prefix: segs.slice(0, i).join("."), keys, ...(type ? { type } : {}) };
}

/**
 * The path with segment `i` replaced by the candidate it resembles, and every later
 * misspelt segment fixed too (`holdof.itrr` → `holdoff.itr`), so one round of errors
 * gives the whole fix. When a later segment has no likely fix, the path fixed so far.
 */
function suggestFull(doc: unknown, segs: readonly string[], i: number, candidates: string[]): string | undefined {
  const s = suggest(segs[i]!, candidates);
  if (s === undefined) return undefined;
  const fixed = [...segs.slice(0, i), s, ...segs.slice(i + 1)];
  const rest = resolveSchemaPath(doc, fixed);
  return !rest.ok && rest.at > i && rest.suggestion !== undefined ? rest.suggestion : fixed.join(".");
}
