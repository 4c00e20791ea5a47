import { describe, expect, it } from 'vitest';
import { suppressionReasons } from '../../shared/domain/suppression';
import { filterFromQuery, messageHref, reasonLabels } from '../../renderer/src/features/suppressions/reasons';

describe('suppressions screen helpers', () => {
  it('reads its filters from the route query, ignoring a reason it does not know', () => {
    expect(filterFromQuery('q=ana%40client&reason=soft_bounces')).toEqual({ q: 'ana@client', reason: 'soft_bounces' });
    expect(filterFromQuery('reason=bored')).toEqual({ q: '', reason: '' });
    expect(filterFromQuery('')).toEqual({ q: '', reason: '' });
  });

  it('labels every reason and links to the Messages screen by id', () => {
    expect(suppressionReasons.map((r) => reasonLabels[r])).toEqual(['Hard bounce', 'Complaint', 'Soft bounces', 'Manual']);
    expect(messageHref('msg_a b')).toBe('#/messages?id=msg_a%20b');
  });
});
