import type { Role } from '../domain/vocabulary.js';

/** Who is calling: the authenticated user as every service and repository sees it. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  /** Set for reviewer and finance: the region they act for. */
  regionCode: string | null;
  /** Set for institution users: the institution they act for. */
  institutionId: string | null;
}

/** What a service needs to know about the request it serves. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  now: Date;
}

export function regionOf(actor: Actor): string {
  if (!actor.regionCode) throw new Error(`actor ${actor.id} (${actor.role}) has no region`);
  return actor.regionCode;
}

export function institutionOf(actor: Actor): string {
  if (!actor.institutionId) throw new Error(`actor ${actor.id} (${actor.role}) has no institution`);
  return actor.institutionId;
}
