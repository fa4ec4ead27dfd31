import { describe, expect, it } from '@jest/globals';
import { routeTemplateOf } from './alpaca-routes';

describe('route templates', () => {
  it('replaces ids and symbols and drops the query', () => {
    expect(routeTemplateOf('/v2/orders/61e69015-8549-4bfd-b9c3-01e75843f47d')).toBe('/v2/orders/:id');
    expect(routeTemplateOf('/v2/orders:by_client_order_id?client_order_id=abc')).toBe('/v2/orders:by_client_order_id');
    expect(routeTemplateOf('/v2/orders?status=all&limit=500')).toBe('/v2/orders');
    expect(routeTemplateOf('/v2/positions/AAPL')).toBe('/v2/positions/:symbol');
    expect(routeTemplateOf('/v2/account/activities/FILL?page_size=100')).toBe('/v2/account/activities/:type');
    expect(routeTemplateOf('/v2/stocks/quotes/latest?symbols=AAPL,MSFT')).toBe('/v2/stocks/quotes/latest');
  });

  it('folds anything unknown into one label', () => {
    expect(routeTemplateOf('/v2/orders/abc/legs/def')).toBe('other');
    expect(routeTemplateOf('/v3/whatever/123')).toBe('other');
  });
});
