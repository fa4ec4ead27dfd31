import { z } from 'zod';

/**
 * The query language of `GET /positions`: filters, keyset pagination and sorting. Pure: parsed from
 * the raw query string, every problem named by its parameter.
 */

/** Sortable fields and their columns; only non-null columns, so keyset pagination is total. */
export const SORT_FIELDS = {
  openedAt: { column: 'opened_at', cast: 'timestamptz' },
  updatedAt: { column: 'updated_at', cast: 'timestamptz' },
  symbol: { column: 'symbol', cast: 'text' },
  realizedPnlGross: { column: 'realized_pnl_gross', cast: 'numeric' },
  quantity: { column: 'quantity', cast: 'numeric' },
} as const;
export type SortField = keyof typeof SORT_FIELDS;

export interface PositionsQuery {
  readonly accountId?: string;
  readonly symbol?: string;
  readonly status?: 'OPEN' | 'CLOSED';
  readonly side?: 'LONG' | 'SHORT' | 'FLAT';
  readonly openedFrom?: Date;
  readonly openedTo?: Date;
  readonly sort: { readonly field: SortField; readonly direction: 'asc' | 'desc' };
  readonly limit: number;
  readonly cursor?: PageCursor;
}

/** Where the previous page ended: the sort field, its value (as text) and the position id breaking ties. */
export interface PageCursor {
  readonly field: SortField;
  readonly value: string;
  readonly positionId: string;
}

export type QueryParse<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly { readonly parameter: string; readonly problem: string }[] };

const text = z.string().trim().min(1).max(200);
const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s));
const upper = <T extends string>(values: readonly [T, ...T[]]) =>
  z.string().transform((s) => s.toUpperCase()).pipe(z.enum(values));
const sortNames = Object.keys(SORT_FIELDS) as [SortField, ...SortField[]];

const QuerySchema = z
  .object({
    account: text.optional(),
    accountId: text.optional(),
    symbol: text.optional(),
    instrument: text.optional(),
    status: upper(['OPEN', 'CLOSED']).optional(),
    side: upper(['LONG', 'SHORT', 'FLAT']).optional(),
    openedFrom: isoDate.optional(),
    openedTo: isoDate.optional(),
    sort: z
      .string()
      .regex(/^-?\w+$/)
      .refine((s) => sortNames.includes(s.replace(/^-/, '') as SortField), {
        message: `expected one of ${sortNames.join(', ')}, optionally prefixed with - for descending`,
      })
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

/** Parses `GET /positions`'s query; unknown parameters are refused by name. */
export function parsePositionsQuery(raw: Readonly<Record<string, unknown>>): QueryParse<PositionsQuery> {
  const repeated = Object.entries(raw).filter(([, v]) => Array.isArray(v));
  if (repeated.length > 0) {
    return { ok: false, problems: repeated.map(([parameter]) => ({ parameter, problem: 'given more than once' })) };
  }
  const parsed = QuerySchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((parameter) => ({ parameter, problem: 'unknown parameter' }))
          : [{ parameter: issue.path.map(String).join('.') || '(query)', problem: issue.message }],
      ),
    };
  }
  const q = parsed.data;
  const sortText = q.sort ?? '-openedAt';
  const sort = { field: sortText.replace(/^-/, '') as SortField, direction: sortText.startsWith('-') ? 'desc' : 'asc' } as const;
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  if (cursor === null) return { ok: false, problems: [{ parameter: 'cursor', problem: 'not a cursor from this API' }] };
  if (cursor && cursor.field !== sort.field) {
    return { ok: false, problems: [{ parameter: 'cursor', problem: `belongs to sort ${cursor.field}, not ${sort.field}` }] };
  }
  if (q.openedFrom && q.openedTo && q.openedFrom > q.openedTo) {
    return { ok: false, problems: [{ parameter: 'openedTo', problem: 'must not be before openedFrom' }] };
  }
  const accountId = q.accountId ?? q.account;
  const symbol = q.symbol ?? q.instrument;
  return {
    ok: true,
    value: {
      ...(accountId !== undefined && { accountId }),
      ...(symbol !== undefined && { symbol }),
      ...(q.status !== undefined && { status: q.status }),
      ...(q.side !== undefined && { side: q.side }),
      ...(q.openedFrom !== undefined && { openedFrom: q.openedFrom }),
      ...(q.openedTo !== undefined && { openedTo: q.openedTo }),
      sort,
      limit: q.limit,
      ...(cursor !== undefined && { cursor }),
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A position id from a path; anything else is "not found" (never a hint that another user's exists). */
export function isPositionId(value: string): boolean {
  return UUID.test(value);
}

const VALUE_SHAPES: Record<(typeof SORT_FIELDS)[SortField]['cast'], RegExp> = {
  timestamptz: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
  numeric: /^-?\d+(\.\d+)?$/,
  text: /^[\s\S]{1,200}$/,
};

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.field, cursor.value, cursor.positionId])).toString('base64url');
}

/** `null` when the text is not a cursor this API produced (so a crafted value never reaches SQL casts). */
export function decodeCursor(text: string): PageCursor | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 3) return null;
    const [field, value, positionId] = decoded as unknown[];
    if (typeof field !== 'string' || !Object.hasOwn(SORT_FIELDS, field)) return null;
    const sortField = field as SortField;
    if (typeof value !== 'string' || !VALUE_SHAPES[SORT_FIELDS[sortField].cast].test(value)) return null;
    if (typeof positionId !== 'string' || !UUID.test(positionId)) return null;
    return { field: sortField, value, positionId };
  } catch {
    return null;
  }
}
