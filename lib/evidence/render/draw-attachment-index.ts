import "server-only";
import { formatBytes } from "@/lib/attachments/file-types";
import { certificateText, COLORS } from "./labels";
import type { RenderContext } from "./render-context";

/** The attachment index: every embedded file with its hash, uploader and what it belongs to. */
export function drawAttachmentIndex(ctx: RenderContext) {
  const { ts, view, doc } = ctx;
  ctx.chapter("Attachment index");
  ts.write(
    [
      {
        code: true,
        text:
          "Each file is embedded in this PDF under the name shown (its label, a dash, the file name). The SHA-256 is " +
          "of the file’s bytes, recorded when it was uploaded and checked again when this package was made. " +
          "`pdfdetach -saveall` extracts them.",
      },
    ],
    { size: 9, color: COLORS.muted },
  );
  ts.moveDown(10);
  if (view.attachments.length === 0) ts.write("No files were attached to this audit.", { size: 10 });
  const labelWidth = 44;
  for (const a of view.attachments) {
    ts.ensureSpace(80);
    const y = doc.y;
    const x = ts.left + labelWidth;
    const width = ts.right - x;
    ts.write(a.label, { x: ts.left, y, width: labelWidth, size: 10, style: "bold", color: COLORS.accent });
    ts.write(a.attachment.fileName, { x, y, width, size: 10, style: "bold" });
    ts.write(`${a.attachment.mediaType} · ${formatBytes(a.attachment.size)} (${a.attachment.size.toLocaleString("en-GB")} bytes)`, { x, width, size: 8.5 });
    ts.write(
      [
        { text: "SHA-256 ", color: COLORS.muted },
        { text: a.attachment.sha256.toLowerCase(), style: "mono", size: 7.5 },
      ],
      { x, width, size: 8.5 },
    );
    ts.write(`Uploaded by ${a.attachment.uploadedBy ?? "unknown"} · ${ctx.date(a.attachment.uploadedAt)}`, { x, width, size: 8.5, color: COLORS.muted });
    const belongs = [
      ...(a.question ? [`question ${a.question.number}`] : []),
      ...a.checklistItems.map((t) => `checklist: ${t}`),
    ];
    if (belongs.length > 0) ts.write(`For ${belongs.join("; ")}`, { x, width, size: 8.5, color: COLORS.muted });
    const cert = certificateText(a);
    if (cert) ts.write(cert, { x, width, size: 8.5 });
    ts.write([{ text: "Embedded as " }, { text: a.embeddedName, style: "mono", size: 8 }], { x, width, size: 8.5, color: COLORS.muted });
    ts.moveDown(9);
  }
}
