// What the UI gets of an attachment: plain JSON, the same from the server page, the upload
// response and the list route. Pure (client components import it).

export interface TCertificateInfo {
  issuer: string | null;
  scope: string | null;
  /** YYYY-MM-DD, valid through that day. */
  expiresOn: string | null;
}

export interface TAttachmentView {
  id: string;
  questionId: string | null;
  evidenceItemId: string | null;
  fileName: string;
  /** The sniffed type (never the one the browser claimed). */
  contentType: string;
  size: number;
  sha256: string;
  /** ISO 8601. */
  createdAt: string;
  /** The uploader's name (or e-mail), or the invite's contact name. */
  uploadedBy: string | null;
  /** True when a provider uploaded it through an invite link. */
  uploadedByProvider: boolean;
  /** Null when no certificate field was filled in. */
  certificate: TCertificateInfo | null;
  /** May the one asking remove it (only its uploader can, while they still may edit). */
  canDelete: boolean;
}

/** The JSON error of every attachment route. `field` is the form field at fault, if one is. */
export interface TAttachmentErrorBody {
  error: {
    code: string;
    message: string;
    field?: string;
    fieldErrors?: Record<string, string>;
    details?: { reason?: string; [key: string]: unknown };
  };
}
