import { describe, expect, it } from 'vitest';
import { currentNavEntry } from './nav.ts';

describe('currentNavEntry', () => {
  const items = [{ to: '/resources' }, { to: '/resources/ghosts' }, { to: '/contracts' }, { to: '/contracts-progress' }];
  it('marks only the longest entry the path lies under', () => {
    expect(currentNavEntry(items, '/resources/ghosts')).toBe('/resources/ghosts');
    expect(currentNavEntry(items, '/resources')).toBe('/resources');
    expect(currentNavEntry(items, '/resources/12')).toBe('/resources');
  });
  it('does not take a sibling that merely shares a prefix', () => {
    expect(currentNavEntry(items, '/contracts-progress')).toBe('/contracts-progress');
    expect(currentNavEntry(items, '/contracts/7')).toBe('/contracts');
    expect(currentNavEntry(items, '/audit')).toBeUndefined();
  });
});
