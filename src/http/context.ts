import type { Department, Role } from '../domain/vocabulary.js';

// Who is calling and when: the context every service and repository receives. The HTTP kit owns
// it; auth/ fills in the actor from the bearer token.

/** The authenticated user as every service and repository sees it. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  /** Set for the region-scoped roles (reviewer, finance, civil_affairs, township, department): the region they act for. */
  regionCode: string | null;
  /** Set for institution users: the institution they act for. */
  institutionId: string | null;
  /** Set for township users: the 9-digit code of their 乡镇 / 街道 (its first 6 digits are regionCode). */
  townshipCode: string | null;
  /** Set for department users: the county department they act for (protection.md §1). */
  department: Department | null;
  /** The admin created from BOOTSTRAP_ADMIN_TOKEN, whose first act should be a personal admin. */
  bootstrap: boolean;
}

/** What a service needs to know about the request it serves. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  /** The request's clock reading, taken once so that one request sees one "now". */
  now: Date;
  /** The client's address as the service sees it (the access log keeps it). */
  clientAddress?: string;
}
