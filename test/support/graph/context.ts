/** What every handler of the local Graph endpoint gets besides the request. */
import type { GraphRequest, GraphResponse } from './http';
import type { DriveRecord, GraphState, IdentitySet, ListRecord, SiteRecord } from './model';

export interface HandlerContext {
  state: GraphState;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/v1.0` */
  base: string;
  /** Who the caller is (the app the token was issued to). */
  caller: IdentitySet;
  /** The other writer the race fault and `control.touchItem` act as. */
  someoneElse: IdentitySet;
  /** Page size when the request has no `$top`. */
  defaultPageSize: number;
  /** The most the server returns in one page, whatever `$top` asks for. */
  maxPageSize: number;
  /** Above this many items, a query on a non-indexed column fails even with the Prefer header. */
  listViewThreshold: number;
  simpleUploadMaxBytes: number;
  /** True when the race fault fires for this update: someone else writes the item first. */
  raceNow: () => boolean;
  /** Open upload sessions, by the id in their uploadUrl. */
  uploads: UploadSessions;
}

export interface UploadSession {
  id: string;
  siteId: string;
  driveId: string;
  parentId: string;
  name: string;
  conflictBehavior: 'fail' | 'replace' | 'rename';
  expected: number | undefined;
  received: Buffer[];
  receivedBytes: number;
  expirationDateTime: string;
}

export interface UploadSessions {
  sessions: Map<string, UploadSession>;
}

/** What the router found in the path. */
export interface Target {
  site?: SiteRecord;
  list?: ListRecord;
  drive?: DriveRecord;
  columnRef?: string;
  itemRef?: string;
  /** Drive item addressing: `root` or an item id, plus an optional `:/path:`. */
  driveBase?: string;
  drivePath?: string;
  /** The site as the caller addressed it, for `@odata.context`. */
  siteKey?: string;
}

export type Handler = (
  req: GraphRequest,
  target: Target,
  ctx: HandlerContext,
) => GraphResponse | Promise<GraphResponse>;
