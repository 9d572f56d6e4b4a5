/** Replaying recorded logs into termination rows: see read-rows.ts and formats.ts. */
export { readRows, type ReadRowsOptions } from './read-rows';
export { FORMATS, type FormatName, type ReplayFormat } from './formats';
