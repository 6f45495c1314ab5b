import "server-only";
import { getDb } from "@/lib/db";
import type { TRole } from "./roles";

export interface TSignInIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  roles: TRole[];
}

/** Creates or refreshes the user behind a sign-in; roles follow the IdP at every sign-in. */
export async function upsertUser(identity: TSignInIdentity) {
  const { issuer, subject, email, name, roles } = identity;
  return getDb().user.upsert({
    where: { issuer_subject: { issuer, subject } },
    create: { issuer, subject, email, name, roles },
    update: { email, name, roles, lastSignInAt: new Date() },
    select: { id: true, roles: true },
  });
}
