import "server-only";
import { formatBytes } from "@/lib/attachments/file-types";
import type { TAttachmentEntry } from "./build-package-view";
import { certificateText, COLORS, EVIDENCE_STATUS_COLORS, EVIDENCE_STATUS_LABELS } from "./labels";
import type { RenderContext } from "./render-context";

/** The evidence checklist of the source document, each item with the files that satisfy it. */
export function drawChecklist(ctx: RenderContext) {
  const { ts, view } = ctx;
  const source = view.data.questionnaire.definition.source;
  ctx.chapter("Evidence checklist");
  ts.write(
    `The documents the questionnaire asks for${source ? ` (${source.title}${source.publisher ? `, ${source.publisher}` : ""})` : ""}, ` +
      "and the files that satisfy each of them. A file counts for an item when it is attached to the item " +
      "or to a question that asks for it.",
    { size: 9, color: COLORS.muted },
  );
  ts.moveDown(10);
  for (const c of view.checklist) {
    ts.ensureSpace(70);
    ts.write(c.item.title, { size: 10.5, style: "bold" });
    ts.moveDown(1);
    ts.write(
      [
        { text: "● ", color: EVIDENCE_STATUS_COLORS[c.status] },
        { text: EVIDENCE_STATUS_LABELS[c.status], style: "bold", color: c.status === "ok" ? COLORS.text : EVIDENCE_STATUS_COLORS[c.status] },
        ...(c.attachments.length === 0 ? [{ text: ": no file satisfies this item", color: COLORS.bad }] : []),
      ],
      { size: 9.5 },
    );
    if (c.item.description) ts.write(c.item.description, { size: 9, color: COLORS.muted });
    if (c.askedBy.length > 0) ts.write(`Asked for by question ${c.askedBy.join(", ")}`, { size: 8, color: COLORS.muted });
    ts.moveDown(3);
    for (const a of c.attachments) drawFileLine(ctx, a, ts.left + 12);
    ts.moveDown(8);
    ts.rule();
    ts.moveDown(8);
  }
}

function drawFileLine(ctx: RenderContext, a: TAttachmentEntry, x: number) {
  const { ts } = ctx;
  const width = ts.right - x;
  ts.write(
    [
      { text: `${a.label}  `, style: "bold" },
      { text: a.attachment.fileName },
      { text: `  ${a.attachment.mediaType}, ${formatBytes(a.attachment.size)}`, color: COLORS.muted, size: 8.5 },
    ],
    { x, width, size: 9.5 },
  );
  const cert = certificateText(a);
  if (cert) ts.write(cert, { x: x + 12, width: width - 12, size: 8.5 });
  ts.moveDown(2);
}
