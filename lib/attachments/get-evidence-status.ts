import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { userActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { computeEvidenceStatus, todayUtc, type TEvidenceOverview } from "./evidence-status";
import { listAttachments } from "./list-attachments";

/** The officer's evidence checklist of an audit (view access): what is missing, expired, expiring. */
export async function getEvidenceStatus({ user, auditId, now = new Date() }: { user: TCurrentUser; auditId: string; now?: Date }): Promise<TEvidenceOverview> {
  const attachments = await listAttachments({ actor: userActor(user), auditId });
  const audit = await getDb().audit.findUniqueOrThrow({ where: { id: auditId }, select: { questionnaireVersionId: true } });
  const { definition } = await getQuestionnaireVersion(audit.questionnaireVersionId);
  return computeEvidenceStatus({ definition, attachments, today: todayUtc(now) });
}
