import type { Advisory, EpssScore, KevEntry } from './model.js';

/** What a feed file or directory turned into; bad records are problems, never a throw. */
export interface FeedResult {
  advisories: Advisory[];
  kev?: KevEntry[];
  epss?: EpssScore[];
  problems: FeedProblem[];
}

export interface FeedProblem {
  /** The file at fault (and the record id or line, in the message). */
  file: string;
  message: string;
}

/**
 * One feed format. `detect` is a cheap look at a file name and its first bytes so
 * `vigil db import FILE` can route any file to its source; `read` parses the whole
 * file (gzip'd or not). A file that is entirely unreadable throws with a message
 * naming the file and what was wrong: an import must then keep the old database.
 */
export interface AdvisorySource {
  readonly name: string;
  detect(file: string, head: Buffer): boolean;
  read(file: string): Promise<FeedResult>;
}

/** Where a feed's files came from: the snapshot shipped with Vigil, a file or directory given to `db import`, a download (`db update`), or a signed bundle. */
export type FeedOrigin = 'bundled' | 'file' | 'url' | 'bundle';

/** One named feed ready for the store: what an import replaces as a unit. */
export interface Feed {
  /** `<source>:<file or directory name>`: re-importing the same feed replaces it. */
  name: string;
  files: string[];
  /** SHA-256 over the feed's files, to tell an unchanged feed. */
  digest: string;
  advisories: Advisory[];
  kev?: KevEntry[];
  epss?: EpssScore[];
  /** Default `file`. */
  origin?: FeedOrigin;
  /** The path or URL it was read from, for `db status`. */
  location?: string;
}
