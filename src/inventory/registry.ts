import type { Collector } from './collector.js';

/**
 * Every collector Vigil runs, in the order their results are merged. Adding an
 * ecosystem means adding its file and one line here.
 */
export const COLLECTORS: readonly Collector[] = [
];
