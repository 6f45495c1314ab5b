import "server-only";
import { pdfkitAddPlaceholder } from "@signpdf/placeholder-pdfkit";
import { SUBFILTER_ADOBE_PKCS7_DETACHED } from "@signpdf/utils";

/**
 * Bytes reserved for the CMS signature in /Contents (written as twice as many hex digits).
 * A 3072-bit RSA signature with its certificate is ~1.8 KiB; an RFC 3161 token with the
 * authority's certificate 2–5 KiB; a chain of two or three CA certificates a few KiB more.
 * signPdfFile refuses, with the size it needed, if a signature does not fit.
 */
export const SIGNATURE_RESERVED_BYTES = 16 * 1024;

/**
 * Adds the signature field and its placeholder to a pdfkit document before `doc.end()`: a
 * /Sig dictionary (Filter Adobe.PPKLite, SubFilter adbe.pkcs7.detached) whose /ByteRange and
 * /Contents are blanks of fixed width, and an invisible widget on the current page. Once the
 * document is written to a file, signPdfFile fills both in place.
 */
export function addSignaturePlaceholder(
  doc: PDFKit.PDFDocument,
  options: {
    /** Who signs, e.g. the deployment's name ("Assay at Example Corp"). */
    name: string;
    reason: string;
    location: string;
    contactInfo?: string;
    signatureBytes?: number;
  },
): void {
  pdfkitAddPlaceholder({
    pdf: doc,
    // Only used by the package's other (in-memory) API; required by its type.
    pdfBuffer: Buffer.alloc(0),
    name: options.name,
    reason: options.reason,
    location: options.location,
    contactInfo: options.contactInfo ?? "",
    signatureLength: options.signatureBytes ?? SIGNATURE_RESERVED_BYTES,
    subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    appName: "Assay",
  });
}
