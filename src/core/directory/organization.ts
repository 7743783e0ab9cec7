import type { OrganizationKind, Role } from '../access/roles.ts';

export interface Organization {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: OrganizationKind;
  readonly createdAt: string;
}

export interface User {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly organizationId: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly createdAt: string;
}

/** The authenticated caller of a use case. */
export interface Actor {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  readonly organizationId: string;
  readonly organizationCode: string;
}

export const organizationCodePattern = /^[A-Z][A-Z0-9-]{1,15}$/;

export const Emails = {
  /** Emails compare without case: one person, one account. */
  normalize(email: string): string {
    return email.trim().toLowerCase();
  },
} as const;
