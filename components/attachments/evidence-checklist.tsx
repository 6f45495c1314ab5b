"use client";

import { AttachmentUploader } from "@/components/attachments/attachment-uploader";
import { Badge } from "@/components/ui/badge";
import type { TEvidenceItemStatus, TEvidenceStatus } from "@/lib/attachments/evidence-status";
import { formatBytes } from "@/lib/attachments/file-types";

export interface EvidenceChecklistProps {
  /** getEvidenceStatus(…).items, in questionnaire order. */
  items: TEvidenceItemStatus[];
  /** A file's URL is `${fileBaseUrl}/${id}`: "/api/attachments" for officers. */
  fileBaseUrl: string;
  /** Set when the viewer may upload (officers with edit access): "/api/audits/<auditId>/attachments". */
  uploadUrl?: string;
  /** The server's per-file limit (attachmentLimits().maxFileBytes). */
  maxFileBytes?: number;
  /** Items whose files carry certificate details (issuer, scope, expiry). Default: ids containing "certificate". */
  certificateItemIds?: string[];
}

const STATUS: Record<TEvidenceStatus, { label: string; variant: "destructive" | "warning" | "success" }> = {
  missing: { label: "Missing", variant: "destructive" },
  expired: { label: "Expired", variant: "destructive" },
  expiring: { label: "Expiring", variant: "warning" },
  ok: { label: "Provided", variant: "success" },
};

/**
 * The officer's evidence checklist: each item of the questionnaire's evidence package with what
 * is missing, expired or expiring within 90 days, the files that answer it (attached to the
 * item or to a question asking for it), and — for editors — a place to add one.
 */
export function EvidenceChecklist({ items, fileBaseUrl, uploadUrl, maxFileBytes, certificateItemIds }: EvidenceChecklistProps) {
  const open = items.filter((i) => i.status !== "ok").length;
  const isCertificate = (id: string) => (certificateItemIds ? certificateItemIds.includes(id) : id.includes("certificate"));

  return (
    <section aria-labelledby="evidence-checklist-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="evidence-checklist-heading" className="text-lg font-semibold">
          Evidence package
        </h2>
        <p className="text-sm text-muted-foreground" role="status">
          {open === 0 ? "Everything is provided and valid." : `${open} of ${items.length} item${items.length === 1 ? "" : "s"} need attention.`}
        </p>
      </div>
      <ul className="space-y-3">
        {items.map((item) => {
          const headingId = `evidence-${item.id}`;
          return (
            <li key={item.id} aria-labelledby={headingId} className="rounded-lg border border-border bg-card p-4 shadow-xs">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <h3 id={headingId} className="font-medium">
                    {item.title}
                  </h3>
                  {item.description && <p className="text-sm text-muted-foreground">{item.description}</p>}
                </div>
                <Badge variant={STATUS[item.status].variant}>
                  {STATUS[item.status].label}
                  <span className="sr-only">: {item.title}</span>
                </Badge>
              </div>
              <p className="mt-1 text-sm text-muted-foreground">{describe(item)}</p>

              {uploadUrl ? (
                <details className="mt-3" open={item.attachments.length > 0}>
                  <summary className="cursor-pointer text-sm font-medium text-primary">
                    {item.attachments.length === 0 ? "Add a file" : `Files (${item.attachments.length})`}
                  </summary>
                  <div className="mt-2">
                    <AttachmentUploader
                      uploadUrl={uploadUrl}
                      fileBaseUrl={fileBaseUrl}
                      target={{ evidenceItemId: item.id }}
                      // Files attached to questions show here too but are managed on their question.
                      initialAttachments={item.attachments.filter((a) => a.evidenceItemId === item.id)}
                      withCertificateFields={isCertificate(item.id)}
                      maxFileBytes={maxFileBytes}
                      label={item.title}
                    />
                    <QuestionFiles item={item} fileBaseUrl={fileBaseUrl} />
                  </div>
                </details>
              ) : (
                item.attachments.length > 0 && (
                  <ul className="mt-2 space-y-1 text-sm">
                    {item.attachments.map((a) => (
                      <li key={a.id}>
                        <a href={`${fileBaseUrl}/${a.id}`} download={a.fileName} className="break-all text-primary underline-offset-4 hover:underline">
                          {a.fileName}
                        </a>{" "}
                        <span className="text-muted-foreground">({formatBytes(a.size)})</span>
                      </li>
                    ))}
                  </ul>
                )
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function describe(item: TEvidenceItemStatus): string {
  const files = `${item.attachments.length} file${item.attachments.length === 1 ? "" : "s"}`;
  switch (item.status) {
    case "missing":
      return "No file yet.";
    case "expired":
      return `${files}; the certificate expired on ${item.latestExpiry} (${-item.daysLeft!} days ago).`;
    case "expiring":
      return `${files}; the certificate expires on ${item.latestExpiry}, in ${item.daysLeft} day${item.daysLeft === 1 ? "" : "s"}.`;
    case "ok":
      return item.latestExpiry ? `${files}; valid until ${item.latestExpiry}.` : files;
  }
}

/** Files attached to questions that ask for this item: listed, managed on their question. */
function QuestionFiles({ item, fileBaseUrl }: { item: TEvidenceItemStatus; fileBaseUrl: string }) {
  const fromQuestions = item.attachments.filter((a) => a.evidenceItemId !== item.id);
  if (fromQuestions.length === 0) return null;
  return (
    <div className="mt-3 text-sm">
      <p className="font-medium">Attached to questions</p>
      <ul className="mt-1 space-y-1">
        {fromQuestions.map((a) => (
          <li key={a.id}>
            <a href={`${fileBaseUrl}/${a.id}`} download={a.fileName} className="break-all text-primary underline-offset-4 hover:underline">
              {a.fileName}
            </a>{" "}
            <span className="text-muted-foreground">
              ({formatBytes(a.size)}, question {a.questionId})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
