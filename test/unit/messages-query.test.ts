import { describe, expect, it } from 'vitest';
import { apiFilter, filterKey, parseQuery, toQuery } from '../../renderer/src/features/messages/query';

describe('Messages screen route query', () => {
  it('round-trips the filters and the open message through the URL', () => {
    const q = { mailboxId: 'mb_1', status: 'failed', kind: 'warmup', placement: 'spam', from: '2026-12-01', to: '2026-12-04', q: 'a@b.test', id: 'msg_1' } as const;
    expect(parseQuery(toQuery(q))).toEqual(q);
    expect(toQuery({ status: 'failed', id: 'msg_x' })).toBe('status=failed&id=msg_x');
  });

  it('drops values the API would refuse instead of failing the whole list', () => {
    expect(parseQuery('status=nope&kind=&placement=inbox&from=yesterday&q=%20%20')).toEqual({ placement: 'inbox' });
  });

  it('turns local days into an inclusive instant range; the selection never refetches the list', () => {
    const f = apiFilter({ from: '2026-12-01', to: '2026-12-01' });
    expect(Date.parse(f.to!) - Date.parse(f.from!)).toBe(24 * 3600_000 - 1);
    expect(filterKey({ status: 'failed', id: 'a' })).toBe(filterKey({ status: 'failed', id: 'b' }));
  });
});
