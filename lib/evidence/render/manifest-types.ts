import type { TEvidenceStatus } from "@/lib/attachments/evidence-status";
import type { TAnswerValue } from "@/lib/questionnaires/visibility";
import type { TPackageClarification, TPackageEvent, TPackageVerdict, TRating } from "./package-data";
import type { TEvidenceManifest, TEvidenceManifestAttachment } from "../manifest";
import type { TQuestionStatus } from "./build-package-view";

// The machine-readable twin of the PDF, embedded as `manifest.json` and returned to the caller.
// lib/evidence/manifest.ts is the contract with the verifier (`format` and the attachments'
// embeddedName, fileName, sha256, size, mediaType); the rest records what the PDF shows.

export interface TManifestAttachment extends TEvidenceManifestAttachment {
  id: string;
  label: string;
  uploadedBy: string | null;
  uploadedAt: string;
  questionId: string | null;
  evidenceItemId: string | null;
  certificate: { issuer: string | null; scope: string | null; expiresAt: string | null } | null;
}

export interface TManifestAnswer {
  questionId: string;
  number: string;
  sectionId: string;
  parentId: string | null;
  status: TQuestionStatus;
  skipReason: string | null;
  required: boolean;
  value: TAnswerValue;
  /** The answer as the PDF shows it, one entry per line. */
  display: string[];
  updatedBy: string | null;
  updatedAt: string | null;
}

export type TEvidencePackageManifest = TEvidenceManifest & {
  package: {
    version: number;
    issuedAt: string;
    issuedBy: string;
    signer: { subject: string; selfSigned: boolean };
    /** Whether the clarification threads include internal notes. */
    includesInternalNotes: boolean;
  };
  audit: {
    id: string;
    providerName: string;
    title: string;
    status: string;
    createdAt: string;
    updatedAt: string;
    submittedAt: string | null;
  };
  questionnaire: { slug: string; version: string; title: string; contentHash: string };
  scope: Record<string, boolean>;
  summary: {
    questions: { visible: number; answered: number; required: number; requiredAnswered: number; skipped: number };
    ratings: Record<TRating | "unrated", number>;
    evidence: Record<TEvidenceStatus, number>;
  };
  verdict: TPackageVerdict | null;
  answers: TManifestAnswer[];
  ratings: { questionId: string; rating: TRating; note: string | null; by: string; at: string }[];
  clarifications: ({ questionId: string } & TPackageClarification)[];
  checklist: { id: string; title: string; status: TEvidenceStatus; attachments: string[] }[];
  attachments: TManifestAttachment[];
  events: TPackageEvent[];
};
