import type { Metadata } from "next";
import Link from "next/link";
import { ClipboardList, Plus } from "lucide-react";
import { AuditStatus } from "@/components/audits/audit-status";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { hasRole, requireUserOrRedirect } from "@/lib/auth/current-user";
import { listAudits } from "@/lib/audits/list-audits";
import { formatDateTime } from "@/lib/format";
import { percent } from "@/lib/questionnaires/progress";

export const metadata: Metadata = { title: "Audits" };

export default async function AuditsPage() {
  const user = await requireUserOrRedirect("/audits");
  const audits = await listAudits({ user });
  const canCreate = hasRole(user, "OFFICER", "ADMIN");

  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Audits</h1>
        {canCreate && (
          <Button asChild>
            <Link href="/audits/new">
              <Plus aria-hidden className="size-4" /> New audit
            </Link>
          </Button>
        )}
      </div>

      {user.roles.length === 0 && (
        <Card className="p-6 text-sm">
          Your account has no Assay role yet. Ask your administrator to add you to the compliance officers, reviewers or
          administrators group in your identity provider, then sign in again.
        </Card>
      )}

      {audits.length === 0 ? (
        <Card className="flex flex-col items-center gap-3 px-6 py-16 text-center">
          <ClipboardList aria-hidden className="size-10 text-muted-foreground" />
          <h2 className="text-lg font-semibold">No audits yet</h2>
          <p className="max-w-md text-sm text-muted-foreground">
            {canCreate
              ? "Open an audit of a provider from a questionnaire, then run it as an interview: the answers are saved as you go."
              : "Audits you are added to will appear here."}
          </p>
          {canCreate && (
            <Button asChild>
              <Link href="/audits/new">Open your first audit</Link>
            </Button>
          )}
        </Card>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Your audits</caption>
            <thead className="border-b border-border text-left text-muted-foreground">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">Provider</th>
                <th scope="col" className="hidden px-4 py-3 font-medium md:table-cell">Questionnaire</th>
                <th scope="col" className="px-4 py-3 font-medium">Status</th>
                <th scope="col" className="w-32 px-4 py-3 font-medium sm:w-48">Progress</th>
                <th scope="col" className="hidden px-4 py-3 font-medium sm:table-cell">Last change</th>
              </tr>
            </thead>
            <tbody>
              {audits.map((a) => {
                const pct = percent(a.progress);
                return (
                  <tr key={a.id} className="border-b border-border last:border-0 hover:bg-muted/50">
                    <td className="px-4 py-3 font-medium">
                      <Link href={`/audits/${a.id}`} className="hover:underline">
                        {a.providerName}
                      </Link>
                    </td>
                    <td className="hidden px-4 py-3 text-muted-foreground md:table-cell">{a.questionnaire}</td>
                    <td className="px-4 py-3">
                      <AuditStatus status={a.status} />
                    </td>
                    <td className="px-4 py-3">
                      <div className="flex items-center gap-2">
                        <Progress value={pct} label={`${a.providerName}: ${pct}% of required questions answered`} />
                        <span className="w-10 text-right tabular-nums text-muted-foreground">{pct}%</span>
                      </div>
                    </td>
                    <td className="hidden px-4 py-3 text-muted-foreground sm:table-cell">
                      <time dateTime={a.updatedAt.toISOString()}>{formatDateTime(a.updatedAt)}</time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
