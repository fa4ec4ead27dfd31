/**
 * Metric labels for Alpaca paths. Invariant: the result is one of a fixed list of templates (or
 * `other`), never a raw id or symbol, so label cardinality stays bounded whatever the path.
 */
const ROUTES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/v2\/orders$/, '/v2/orders'],
  [/^\/v2\/orders:by_client_order_id$/, '/v2/orders:by_client_order_id'],
  [/^\/v2\/orders\/[^/]+$/, '/v2/orders/:id'],
  [/^\/v2\/positions$/, '/v2/positions'],
  [/^\/v2\/positions\/[^/]+$/, '/v2/positions/:symbol'],
  [/^\/v2\/account$/, '/v2/account'],
  [/^\/v2\/account\/activities\/[A-Z_]+$/, '/v2/account/activities/:type'],
  [/^\/v2\/clock$/, '/v2/clock'],
  [/^\/v2\/calendar$/, '/v2/calendar'],
  [/^\/v2\/stocks\/quotes\/latest$/, '/v2/stocks/quotes/latest'],
  [/^\/v1beta1\/options\/quotes\/latest$/, '/v1beta1/options/quotes/latest'],
];

/** The route template of a path (query string ignored). */
export function routeTemplateOf(path: string): string {
  const pathname = path.split('?')[0] ?? path;
  return ROUTES.find(([pattern]) => pattern.test(pathname))?.[1] ?? 'other';
}
