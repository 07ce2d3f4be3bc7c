import type { ProtectionCategory, ReviewRoute, SevereBasis } from './protectionVocabulary.js';

// Which county offices review a case (protection.md §4.4), which categories a village notice may
// name (§4.2, §4.3), and whether a recognised case is payable (§8). Routes are data: a region's
// table, else the default; a route applies when each of its conditions holds (null: any).

export interface RouteCondition {
  route: ReviewRoute;
  /** A claimed category among these; null: any. */
  categories: readonly ProtectionCategory[] | null;
  /** The case's severeBasis among these; null: any (a case without one meets only null). */
  severeBasis: readonly SevereBasis[] | null;
  /** schoolingSupport equal to this; null: any. */
  schoolingSupport: boolean | null;
}

export interface RoutedCase {
  categories: readonly ProtectionCategory[];
  severeBasis: SevereBasis | null;
  schoolingSupport: boolean;
}

export const DEFAULT_ROUTES: readonly RouteCondition[] = [
  { route: 'civil_affairs', categories: null, severeBasis: null, schoolingSupport: null },
  { route: 'reviewer', categories: ['severe_illness_disability'], severeBasis: ['disability', 'both'], schoolingSupport: null },
  { route: 'health', categories: ['severe_illness_disability'], severeBasis: ['illness', 'both'], schoolingSupport: null },
  { route: 'education', categories: null, severeBasis: null, schoolingSupport: true },
  { route: 'human_resources', categories: ['poor_family'], severeBasis: null, schoolingSupport: null },
];

export function routeApplies(condition: RouteCondition, routed: RoutedCase): boolean {
  if (condition.categories !== null && !routed.categories.some((category) => condition.categories!.includes(category))) return false;
  if (condition.severeBasis !== null && (routed.severeBasis === null || !condition.severeBasis.includes(routed.severeBasis))) return false;
  if (condition.schoolingSupport !== null && condition.schoolingSupport !== routed.schoolingSupport) return false;
  return true;
}

/** The routes a case entering county review gets, in the table's order, each once. */
export function routesFor(table: readonly RouteCondition[], routed: RoutedCase): ReviewRoute[] {
  const routes: ReviewRoute[] = [];
  for (const condition of table) if (routeApplies(condition, routed) && !routes.includes(condition.route)) routes.push(condition.route);
  return routes;
}

/** The claimed categories a village notice may name: those outside the region's no-notice list. */
export function noticeableCategories(claimed: readonly ProtectionCategory[], noNotice: readonly ProtectionCategory[]): ProtectionCategory[] {
  return claimed.filter((category) => !noNotice.includes(category));
}

/** A case is posted in its village unless every claimed category is a no-notice one. */
export function needsNotice(claimed: readonly ProtectionCategory[], noNotice: readonly ProtectionCategory[]): boolean {
  return noticeableCategories(claimed, noNotice).length > 0;
}

/** Payable for a month (§8): its categories include orphan or de_facto_unsupported, or it is hivAffected. */
export function payable(categories: readonly ProtectionCategory[], hivAffected: boolean): boolean {
  return hivAffected || categories.includes('orphan') || categories.includes('de_facto_unsupported');
}
