/** Exit codes (design §4). */
export const EXIT = {
  ok: 0,
  expectFailed: 1,
  badInput: 2,
  internal: 3,
  sigint: 130,
  sigterm: 143,
} as const;
