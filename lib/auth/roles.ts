import type { TEnv } from "@/lib/env";

// Roles come from the identity provider's `groups` claim, mapped by configuration
// (ROLE_GROUPS_OFFICER / _REVIEWER / _ADMIN, comma-separated group names). A user in no mapped
// group can sign in but sees nothing.

export const ROLES = ["OFFICER", "REVIEWER", "ADMIN"] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_LABELS: Record<TRole, string> = {
  OFFICER: "Compliance officer",
  REVIEWER: "ISO 27001 reviewer",
  ADMIN: "Administrator",
};

type RoleGroupEnv = Pick<TEnv, "ROLE_GROUPS_OFFICER" | "ROLE_GROUPS_REVIEWER" | "ROLE_GROUPS_ADMIN">;

/** Reads the `groups` claim leniently: IdPs send an array, a single string, or nothing. */
export function readGroupsClaim(claim: unknown): string[] {
  if (typeof claim === "string") return [claim];
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === "string");
  return [];
}

export function rolesFromGroups(groups: readonly string[], env: RoleGroupEnv): TRole[] {
  const mapping: Record<TRole, string[]> = {
    OFFICER: env.ROLE_GROUPS_OFFICER,
    REVIEWER: env.ROLE_GROUPS_REVIEWER,
    ADMIN: env.ROLE_GROUPS_ADMIN,
  };
  return ROLES.filter((role) => mapping[role].some((g) => groups.includes(g)));
}

export function hasRole(user: { roles: readonly TRole[] }, ...roles: TRole[]): boolean {
  return roles.some((r) => user.roles.includes(r));
}

