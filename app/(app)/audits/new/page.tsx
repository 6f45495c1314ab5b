import type { Metadata } from "next";
import { CreateAuditForm } from "@/components/audits/create-audit-form";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { hasRole, requireUserOrRedirect } from "@/lib/auth/current-user";
import { listQuestionnaireVersions } from "@/lib/questionnaires/list-questionnaire-versions";

export const metadata: Metadata = { title: "New audit" };

export default async function NewAuditPage() {
  const user = await requireUserOrRedirect("/audits/new");
  if (!hasRole(user, "OFFICER", "ADMIN")) {
    return (
      <div className="mx-auto max-w-xl space-y-4">
        <h1 className="text-2xl font-semibold tracking-tight">New audit</h1>
        <Alert tone="warning">Only compliance officers can open audits. Your role lets you work on audits you are added to.</Alert>
      </div>
    );
  }
  const versions = await listQuestionnaireVersions();
  return (
    <Card className="mx-auto max-w-2xl">
      <CardHeader>
        <h1 className="text-2xl font-semibold tracking-tight">New audit</h1>
        <CardDescription>Who you audit, with which questionnaire, and what is in scope.</CardDescription>
      </CardHeader>
      <CardContent>
        <CreateAuditForm
          versions={versions.map((v) => ({
            id: v.id,
            label: `${v.title} — version ${v.version}`,
            summary: v.definition.summary ?? null,
            scopes: v.definition.scopes.map((s) => ({ id: s.id, label: s.label, description: s.description ?? null, default: s.default })),
          }))}
        />
      </CardContent>
    </Card>
  );
}
