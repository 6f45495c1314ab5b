import type { TEvidenceStatus } from "@/lib/attachments/evidence-status";
import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import type { TAnswerValue } from "@/lib/questionnaires/visibility";

// Everything the evidence package shows, as plain data: the caller reads the database, the
// renderer only draws (and embeds the files it is handed). Dates are ISO 8601 strings so that the
// same values go into the PDF and into its JSON manifest unchanged.

/** The reviewer's judgement of one answer (AnswerRatingValue in the schema, lower-cased). */
export const RATINGS = ["acceptable", "needs_clarification", "not_acceptable", "not_applicable"] as const;
export type TRating = (typeof RATINGS)[number];

/** The reviewer's conclusion on the provider's suitability (VerdictValue in the schema, lower-cased). */
export const VERDICTS = ["suitable", "suitable_with_conditions", "not_suitable"] as const;
export type TVerdict = (typeof VERDICTS)[number];

export interface TPackageAnswer {
  value: TAnswerValue;
  /** Who saved the current revision (a member's name, or the provider contact's). */
  updatedBy: string | null;
  updatedAt: string;
}

export interface TPackageRating {
  rating: TRating;
  note: string | null;
  by: string;
  at: string;
}

export interface TPackageVerdict {
  verdict: TVerdict;
  rationale: string;
  /** Conditions the provider must meet (mostly with "suitable_with_conditions"). */
  conditions: string[];
  by: string;
  at: string;
}

export interface TPackageMessage {
  author: string;
  /** As shown beside the name: "officer", "reviewer", "provider" … */
  role: string;
  body: string;
  at: string;
  /** An internal note: never shown to the provider, left out of the package unless asked for. */
  internal: boolean;
}

export interface TPackageClarification {
  status: "open" | "answered" | "resolved";
  openedBy: string;
  openedAt: string;
  messages: TPackageMessage[];
}

export interface TPackageCertificate {
  issuer: string | null;
  scope: string | null;
  /** YYYY-MM-DD, valid through that day. */
  expiresAt: string | null;
}

export interface TPackageAttachment {
  id: string;
  /** The sanitised name the app shows and downloads it as. */
  fileName: string;
  /** The sniffed media type, e.g. application/pdf. */
  mediaType: string;
  size: number;
  /** SHA-256 of the bytes (hex) as recorded at upload; the renderer refuses bytes that differ. */
  sha256: string;
  uploadedBy: string | null;
  uploadedAt: string;
  /** What it was attached to: a question, or an item of the evidence checklist. */
  questionId: string | null;
  evidenceItemId: string | null;
  certificate: TPackageCertificate | null;
  /**
   * The bytes, in order. Called once, while the PDF is written; a Node Readable works too. Keep
   * the chunks modest (e.g. the 1 MiB storage chunks): memory is bounded by the chunk size.
   */
  open: () => AsyncIterable<Uint8Array>;
}

export interface TPackageChecklistItem {
  /** The id of an item of the questionnaire's `evidence` list. */
  id: string;
  status: TEvidenceStatus;
  /** Ids of the attachments that satisfy it, oldest first. */
  attachmentIds: string[];
}

export interface TPackageEvent {
  at: string;
  /** A member's name, "Provider: <contact>" or null for the system. */
  actor: string | null;
  /** Dotted verb, e.g. "answer.saved". */
  action: string;
  /** What it was about, e.g. a question id; null when the audit itself. */
  subject: string | null;
}

export interface TEvidencePackageData {
  audit: {
    id: string;
    providerName: string;
    title: string;
    status: string;
    createdAt: string;
    updatedAt: string;
    /** When the provider submitted their answers, if they did. */
    submittedAt: string | null;
  };
  questionnaire: {
    slug: string;
    version: string;
    title: string;
    /** SHA-256 (hex) of the definition's canonical JSON. */
    contentHash: string;
    definition: TQuestionnaire;
  };
  /** The audit's scope flags; flags left out take the questionnaire's defaults. */
  scope: Partial<Record<string, boolean>>;
  answers: Readonly<Record<string, TPackageAnswer>>;
  ratings: Readonly<Record<string, TPackageRating>>;
  verdict: TPackageVerdict | null;
  clarifications: Readonly<Record<string, TPackageClarification[]>>;
  /** One entry per item of the questionnaire's evidence list (see buildEvidenceChecklist). */
  checklist: TPackageChecklistItem[];
  attachments: TPackageAttachment[];
  /** The audit's event trail, oldest first. */
  events: TPackageEvent[];
  package: {
    /** 1 for the first package of this audit, 2 for the next … */
    version: number;
    issuedAt: string;
    issuedBy: string;
    signer: {
      /** The signing certificate's subject, e.g. "CN=Assay development signer". */
      subject: string;
      /** A self-signed development certificate: the cover says so. */
      selfSigned: boolean;
    };
  };
}

/** An attachment as the database describes it, before anyone opens its bytes. */
export type TPackageAttachmentRecord = Omit<TPackageAttachment, "open">;

/**
 * The package as the server reads it from the database (loadPackageData) and hands it to the
 * package worker: plain, serialisable data. The worker completes it with what only it holds: the
 * signing certificate (`package.signer`) and each attachment's `open()` on its own connection.
 */
export type TPackageRecord = Omit<TEvidencePackageData, "attachments" | "package"> & {
  attachments: TPackageAttachmentRecord[];
  package: Omit<TEvidencePackageData["package"], "signer">;
};
