import "server-only";
import { COLORS } from "./labels";
import type { RenderContext } from "./render-context";

/** The last page: what the manifest holds and how to check the package. */
export function drawAbout(ctx: RenderContext, manifestSha256: string) {
  const { ts } = ctx;
  ctx.chapter("About this package");
  const lines = [
    `This PDF is the evidence package of one audit at one moment, signed by ${ctx.view.data.package.signer.subject}: any change to the file after it was signed invalidates the signature.`,
    "manifest.json, embedded in this PDF, holds the same record in machine-readable form: every question’s status and answer, the ratings, the verdict, the evidence checklist, and the name, size and SHA-256 of every embedded file. A verifier checks the signature, then each embedded file against the manifest.",
    ctx.view.includeInternalNotes
      ? "This package includes internal notes of the audit team: do not share it with the provider."
      : "Internal notes of the audit team are not included.",
  ];
  for (const line of lines) ts.write(line, { size: 9.5, paragraphGap: 6 });
  ts.moveDown(6);
  ts.row("manifest.json SHA-256", [{ text: manifestSha256, style: "mono", size: 8 }], { labelWidth: 120 });
}
