import { InvalidatedCache, type ChangeListener } from './change-feed.js';

/** The feed as a cache sees it: live or not, and the listener it calls (PostgreSQL's part is tested in apps/api/test/change-feed.int-spec.ts). */
class FeedDouble {
  live = true;
  listener: ChangeListener | null = null;
  register(listener: ChangeListener): void {
    this.listener = listener;
  }
  change(table: string, key: string): void {
    this.listener?.changed({ table, key });
  }
}

const options = { tables: ['tenant'], maxEntries: 3, ttlMs: 60_000 };

describe('InvalidatedCache', () => {
  it('serves a kept value without loading it again, and loads again after a change of what it depends on', async () => {
    const feed = new FeedDouble();
    const cache = new InvalidatedCache<string, string>(feed, options);
    let loads = 0;
    const load = async () => ({ value: `v${(loads += 1)}`, dependsOn: 't1' });
    expect(await cache.get('a', load)).toBe('v1');
    expect(await cache.get('a', load)).toBe('v1');
    feed.change('tenant', 't2'); // another tenant
    feed.change('api_token', 't1'); // a table it does not follow
    expect(await cache.get('a', load)).toBe('v1');
    feed.change('tenant', 't1');
    expect(await cache.get('a', load)).toBe('v2');
    expect(loads).toBe(2);
  });

  it('does not keep a value whose load a change overtook', async () => {
    const feed = new FeedDouble();
    const cache = new InvalidatedCache<string, string>(feed, options);
    let loads = 0;
    const racing = async () => {
      loads += 1;
      feed.change('tenant', 't1'); // committed while the old value was being read
      return { value: 'old', dependsOn: 't1' };
    };
    expect(await cache.get('a', racing)).toBe('old');
    expect(await cache.get('a', async () => ({ value: 'new', dependsOn: 't1' }))).toBe('new');
    expect(loads).toBe(1);
  });

  it('reads through while the feed is not live, and forgets everything on a reset', async () => {
    const feed = new FeedDouble();
    const cache = new InvalidatedCache<string, string>(feed, options);
    await cache.get('a', async () => ({ value: 'v1', dependsOn: 't1' }));
    feed.live = false;
    expect(await cache.get('a', async () => ({ value: 'v2', dependsOn: 't1' }))).toBe('v2');
    expect(cache.size).toBe(1); // nothing kept while not live: still v1's entry, unused
    feed.live = true;
    feed.listener?.reset();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, the least recently used going first, and never keeps a null', async () => {
    const feed = new FeedDouble();
    const cache = new InvalidatedCache<string, string>(feed, options);
    for (const key of ['a', 'b', 'c']) await cache.get(key, async () => ({ value: key, dependsOn: key }));
    await cache.get('a', async () => ({ value: 'reloaded', dependsOn: 'a' })); // a is now the most recent
    await cache.get('d', async () => ({ value: 'd', dependsOn: 'd' }));
    expect(cache.size).toBe(3);
    expect(await cache.get('b', async () => ({ value: 'b2', dependsOn: 'b' }))).toBe('b2'); // b was evicted
    expect(await cache.get('a', async () => ({ value: 'x', dependsOn: 'a' }))).toBe('a');
    expect(await cache.get('none', async () => null)).toBeNull();
    expect(await cache.get('none', async () => ({ value: 'now', dependsOn: 'n' }))).toBe('now');
  });
});
