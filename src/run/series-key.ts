/**
 * The metrics key under which a point's throughput series travels from the simulation
 * (point.ts) to the results document, which moves it to the point's own `series` key
 * (results.ts). Part of the model version: cached metrics carry it.
 */
export const SERIES_KEY = "series";
