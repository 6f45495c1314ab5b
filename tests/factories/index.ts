import { randomUUID } from "node:crypto";
import path from "node:path";
import type { TCurrentUser } from "@/lib/auth/current-user";
import type { TRole } from "@/lib/auth/roles";
import { createAudit } from "@/lib/audits/create-audit";
import { getDb } from "@/lib/db";
import { generateToken } from "@/lib/invites/tokens";
import { syncQuestionnaires } from "@/lib/questionnaires/sync-questionnaires";

// Factories make unique data, so test files can run in parallel against one database without
// resetting it between tests.

export async function createUser(roles: TRole[], name = "Test User"): Promise<TCurrentUser> {
  const id = randomUUID().slice(0, 8);
  return getDb().user.create({
    data: { issuer: "urn:test", subject: `test-${id}`, email: `user-${id}@example.test`, name: `${name} ${id}`, roles },
    select: { id: true, email: true, name: true, roles: true },
  });
}

/** Loads the repository's questionnaires (idempotent) and returns the Infrastructure Provider 1.0.0 version id. */
export async function infrastructureQuestionnaireId(): Promise<string> {
  await syncQuestionnaires({ dir: path.resolve("questionnaires") });
  const row = await getDb().questionnaireVersion.findUniqueOrThrow({
    where: { slug_version: { slug: "infrastructure-provider", version: "1.0.0" } },
    select: { id: true },
  });
  return row.id;
}

export async function createTestAudit(owner: TCurrentUser, scope: Record<string, boolean> = {}) {
  const questionnaireVersionId = await infrastructureQuestionnaireId();
  return createAudit({
    actor: owner,
    input: { questionnaireVersionId, providerName: `Provider ${randomUUID().slice(0, 8)}`, scope },
  });
}

export interface TInviteRowOptions {
  sections?: string[];
  name?: string;
  expired?: boolean;
  revoked?: boolean;
  submitted?: boolean;
}

/**
 * An invite row as the invite feature creates it, with its token; created directly so that a
 * test can start it expired, revoked or submitted.
 */
export async function createInviteRow(auditId: string, createdById: string, options: TInviteRowOptions = {}): Promise<{ token: string; inviteId: string }> {
  const { token, tokenHash } = generateToken();
  const suffix = tokenHash.slice(0, 8);
  const day = 24 * 60 * 60 * 1000;
  const row = await getDb().invite.create({
    data: {
      auditId,
      tokenHash,
      name: options.name ?? `Respondent ${suffix}`,
      email: `respondent-${suffix}@provider.test`,
      sections: options.sections ?? [],
      expiresAt: new Date(Date.now() + (options.expired ? -day : 14 * day)),
      revokedAt: options.revoked ? new Date() : null,
      submittedAt: options.submitted ? new Date() : null,
      createdById,
    },
    select: { id: true },
  });
  return { token, inviteId: row.id };
}
