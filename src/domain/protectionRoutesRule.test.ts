import { describe, expect, it } from 'vitest';
import { DEFAULT_NO_NOTICE_CATEGORIES, type ProtectionCategory } from './protectionVocabulary.js';
import { DEFAULT_ROUTES, needsNotice, noticeableCategories, payable, routesFor, type RoutedCase } from './protectionRoutesRule.js';

describe('the default routes of the county review', () => {
  it.each<[string, RoutedCase, string[]]>([
    ['worked example 1: poor_family and severe on disability', { categories: ['poor_family', 'severe_illness_disability'], severeBasis: 'disability', schoolingSupport: false }, ['civil_affairs', 'reviewer', 'human_resources']],
    ['severe on illness', { categories: ['severe_illness_disability'], severeBasis: 'illness', schoolingSupport: false }, ['civil_affairs', 'health']],
    ['severe on both', { categories: ['severe_illness_disability'], severeBasis: 'both', schoolingSupport: false }, ['civil_affairs', 'reviewer', 'health']],
    ['schooling support asked', { categories: ['orphan'], severeBasis: null, schoolingSupport: true }, ['civil_affairs', 'education']],
    ['an orphan alone', { categories: ['orphan'], severeBasis: null, schoolingSupport: false }, ['civil_affairs']],
  ])('%s → %o', (_name, routed, routes) => {
    expect(routesFor(DEFAULT_ROUTES, routed)).toEqual(routes);
  });

  it('a route named twice in a table is fixed once', () => {
    const table = [...DEFAULT_ROUTES, { route: 'health' as const, categories: ['temporary' as const], severeBasis: null, schoolingSupport: null }];
    expect(routesFor(table, { categories: ['temporary', 'severe_illness_disability'], severeBasis: 'illness', schoolingSupport: false })).toEqual(['civil_affairs', 'health']);
  });
});

describe('the village notice names only categories outside the no-notice list (default: orphan, unsupported, severe, guardianship)', () => {
  it.each<[ProtectionCategory[], ProtectionCategory[], boolean]>([
    [['orphan'], [], false],
    [['de_facto_unsupported', 'severe_illness_disability'], [], false],
    [['poor_family', 'severe_illness_disability'], ['poor_family'], true],
    [['temporary', 'guardianship_lacking', 'extreme_poverty'], ['temporary', 'extreme_poverty'], true],
  ])('%o → shows %o, posted %s', (claimed, shown, posted) => {
    expect(noticeableCategories(claimed, DEFAULT_NO_NOTICE_CATEGORIES)).toEqual(shown);
    expect(needsNotice(claimed, DEFAULT_NO_NOTICE_CATEGORIES)).toBe(posted);
  });
});

describe('payable: orphan or de_facto_unsupported, or hivAffected', () => {
  it.each<[ProtectionCategory[], boolean, boolean]>([
    [['orphan'], false, true],
    [['de_facto_unsupported'], false, true],
    [['poor_family'], true, true],
    [['poor_family', 'severe_illness_disability'], false, false],
  ])('%o, hiv %s → %s', (categories, hiv, expected) => {
    expect(payable(categories, hiv)).toBe(expected);
  });
});
