import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { computeProgress, type TProgress } from "@/lib/questionnaires/progress";

export interface TAuditListItem {
  id: string;
  providerName: string;
  status: string;
  questionnaire: string;
  updatedAt: Date;
  memberRole: string | null;
  progress: TProgress;
}

/** The audits a user may see (admins: all), most recently changed first, with their progress. */
export async function listAudits({ user }: { user: TCurrentUser }): Promise<TAuditListItem[]> {
  const isAdmin = hasRole(user, "ADMIN");
  const audits = await getDb().audit.findMany({
    where: isAdmin ? {} : { members: { some: { userId: user.id } } },
    orderBy: { updatedAt: "desc" },
    take: 500,
    select: {
      id: true,
      providerName: true,
      status: true,
      scope: true,
      updatedAt: true,
      questionnaireVersionId: true,
      members: { where: { userId: user.id }, select: { role: true } },
      answers: { select: { questionId: true, value: true } },
    },
  });
  return Promise.all(
    audits.map(async (a) => {
      const q = await getQuestionnaireVersion(a.questionnaireVersionId);
      const values = Object.fromEntries(a.answers.map((x) => [x.questionId, x.value as never]));
      return {
        id: a.id,
        providerName: a.providerName,
        status: a.status,
        questionnaire: `${q.title} ${q.version}`,
        updatedAt: a.updatedAt,
        memberRole: a.members[0]?.role ?? null,
        progress: computeProgress(q.definition, a.scope as Record<string, boolean>, values).overall,
      };
    }),
  );
}
