import type { User } from './types.js';

// What the service says about sign-in, sessions and accounts (security.md §1).

export interface Me extends User {
  username: string;
  mustChangePassword: boolean;
  mustSetUpSecondFactor: boolean;
  passwordExpiresOn: string | null;
  secondFactor: { enabled: boolean; required: boolean };
  credential: 'session' | 'token';
  session: { id: string; expiresAt: string; idleTimeoutSeconds: number } | null;
}

export interface SessionAnswer {
  user: Me;
  session: { id: string; expiresAt: string; idleTimeoutSeconds: number };
  csrfToken: string;
  mustChangePassword: boolean;
  mustSetUpSecondFactor: boolean;
  passwordExpiresOn: string | null;
  resetNotice?: { at: string; by: { id: string; name: string }; confirmedBy: { id: string; name: string } | null } | null;
}

export interface Account extends User {
  username: string;
  activated: boolean;
  activationExpiresAt: string | null;
  secondFactor: boolean;
  pending: { action: 'create' | 'reset' | 'enable'; requestedBy: { id: string; name: string }; requestedAt: string } | null;
  lastSignedInAt: string | null;
  activationCode?: string;
}

export interface SessionItem {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  clientAddress: string;
  userAgent: string | null;
  current: boolean;
}

export interface TokenItem {
  id: string;
  name: string;
  kind: 'personal' | 'legacy' | 'password_setup' | 'bootstrap';
  createdAt: string;
  expiresOn: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
