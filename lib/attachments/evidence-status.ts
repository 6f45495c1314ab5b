import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import { targetIndex } from "./targets";
import type { TAttachmentView } from "./types";

// The evidence checklist of an audit: for each item of the questionnaire's `evidence` list, the
// files that answer it and a status. Pure: rows and questionnaire in, statuses out.
//
// An item's files are those attached to the item itself and those attached to a question that
// asks for it (`evidence: [item]`, e.g. the ISO 27001 Statement of Applicability question asks
// for "certificates").
//
// Status, from the best file: a file without an expiry date, or valid beyond
// EXPIRING_WITHIN_DAYS, makes the item "ok"; else one still valid makes it "expiring"; else
// (every file's certificate has expired) "expired"; no file at all: "missing".

export const EXPIRING_WITHIN_DAYS = 90;

export type TEvidenceStatus = "missing" | "expired" | "expiring" | "ok";

export interface TEvidenceItemStatus {
  id: string;
  title: string;
  description: string | null;
  status: TEvidenceStatus;
  /** The item's files, oldest first. */
  attachments: TAttachmentView[];
  /** Questions that ask for this item (where a file can also be attached). */
  questionIds: string[];
  /** The latest certificate expiry among the item's files (YYYY-MM-DD), if any has one. */
  latestExpiry: string | null;
  /** Days from `today` to latestExpiry (negative: expired); null without one. */
  daysLeft: number | null;
}

export interface TEvidenceOverview {
  items: TEvidenceItemStatus[];
  /** Files attached to each question, by question id. */
  byQuestion: Record<string, TAttachmentView[]>;
  counts: Record<TEvidenceStatus, number>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const dayNumber = (isoDate: string) => Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
const RANK: Record<Exclude<TEvidenceStatus, "missing">, number> = { expired: 0, expiring: 1, ok: 2 };

/** A single file's status on `today` (YYYY-MM-DD, UTC): a certificate is valid through its expiry day. */
export function fileStatus(attachment: Pick<TAttachmentView, "certificate">, today: string): Exclude<TEvidenceStatus, "missing"> {
  const expiresOn = attachment.certificate?.expiresOn;
  if (!expiresOn) return "ok";
  const left = dayNumber(expiresOn) - dayNumber(today);
  if (left < 0) return "expired";
  return left <= EXPIRING_WITHIN_DAYS ? "expiring" : "ok";
}

export function computeEvidenceStatus({
  definition,
  attachments,
  today,
}: {
  definition: Pick<TQuestionnaire, "sections" | "evidence">;
  attachments: readonly TAttachmentView[];
  /** YYYY-MM-DD (UTC): the day the statuses are judged on. */
  today: string;
}): TEvidenceOverview {
  const index = targetIndex(definition);
  const byQuestion: Record<string, TAttachmentView[]> = {};
  const byItem = new Map<string, TAttachmentView[]>();
  const sorted = [...attachments].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  for (const a of sorted) {
    if (a.questionId !== null) {
      (byQuestion[a.questionId] ??= []).push(a);
      for (const itemId of index.questions.get(a.questionId)?.question.evidence ?? []) byItem.set(itemId, [...(byItem.get(itemId) ?? []), a]);
    }
    if (a.evidenceItemId !== null && index.evidenceItems.has(a.evidenceItemId)) {
      byItem.set(a.evidenceItemId, [...(byItem.get(a.evidenceItemId) ?? []), a]);
    }
  }

  const counts: Record<TEvidenceStatus, number> = { missing: 0, expired: 0, expiring: 0, ok: 0 };
  const items = definition.evidence.map((item): TEvidenceItemStatus => {
    const files = byItem.get(item.id) ?? [];
    const status: TEvidenceStatus =
      files.length === 0
        ? "missing"
        : files.map((f) => fileStatus(f, today)).reduce((best, s) => (RANK[s] > RANK[best] ? s : best), "expired" as Exclude<TEvidenceStatus, "missing">);
    const expiries = files.map((f) => f.certificate?.expiresOn).filter((d): d is string => !!d);
    const latestExpiry = expiries.length ? expiries.reduce((a, b) => (a > b ? a : b)) : null;
    counts[status]++;
    return {
      id: item.id,
      title: item.title,
      description: item.description ?? null,
      status,
      attachments: files,
      questionIds: index.evidenceItems.get(item.id)?.questionIds ?? [],
      latestExpiry,
      daysLeft: latestExpiry ? dayNumber(latestExpiry) - dayNumber(today) : null,
    };
  });
  return { items, byQuestion, counts };
}

/** Today's date in UTC as YYYY-MM-DD. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
