import "server-only";
import { COLORS, VERDICT_COLORS, VERDICT_LABELS } from "./labels";
import type { RenderContext } from "./render-context";

/** Page 1: what this package is about, its verdict, and who signs it. */
export function drawCover(ctx: RenderContext) {
  const { ts, doc, view } = ctx;
  const { data } = view;
  ts.addPage();
  ts.write("ASSAY · SECURITY DUE DILIGENCE", { size: 9, style: "bold", color: COLORS.muted });
  ts.moveDown(30);
  ts.write("Evidence package", { size: 13, color: COLORS.accent, style: "bold" });
  ts.moveDown(6);
  // The cover must stay one page: long names get smaller type.
  const nameSize = [26, 22, 18, 15].find((size) => ts.heightOf(data.audit.providerName, { size, style: "bold" }) <= 3.2 * size) ?? 13;
  ts.write(data.audit.providerName, { size: nameSize, style: "bold" });
  ts.moveDown(4);
  const titleSize = ts.heightOf(data.audit.title, { size: 14 }) <= 3 * 14 * 1.3 ? 14 : 11;
  ts.write(data.audit.title, { size: titleSize, color: COLORS.muted });
  ts.moveDown(22);

  // The verdict, framed in its colour.
  const verdict = data.verdict;
  const color = verdict ? VERDICT_COLORS[verdict.verdict] : COLORS.muted;
  const boxTop = doc.y;
  ts.write("Verdict", { x: ts.left + 14, y: boxTop + 10, size: 9, color: COLORS.muted });
  ts.write(verdict ? VERDICT_LABELS[verdict.verdict] : "No verdict yet", { x: ts.left + 14, size: 16, style: "bold", color });
  if (verdict) ts.write(`by ${verdict.by}, ${ctx.date(verdict.at)}`, { x: ts.left + 14, size: 9, color: COLORS.muted });
  const boxBottom = doc.y + 10;
  doc.save().lineWidth(1.5).strokeColor(color).roundedRect(ts.left, boxTop, ts.width, boxBottom - boxTop, 4).stroke().restore();
  doc.y = boxBottom + 22;

  const scopeText =
    data.questionnaire.definition.scopes.map((s) => `${s.label}: ${view.scope[s.id] ? "yes" : "no"}`).join("\n") || "—";
  const rows: [string, string][] = [
    ["Audit", data.audit.id],
    ["Status", data.audit.status],
    ["Questionnaire", `${data.questionnaire.title}, version ${data.questionnaire.version} (${data.questionnaire.slug})`],
  ];
  for (const [label, value] of rows) ts.row(label, value);
  ts.row("Content hash", [{ text: data.questionnaire.contentHash, style: "mono", size: 8.5 }]);
  for (const [label, value] of [
    ["Scope", scopeText],
    ["Audit opened", ctx.date(data.audit.createdAt)],
    ["Last change", ctx.date(data.audit.updatedAt)],
    ["Provider submitted", data.audit.submittedAt ? ctx.date(data.audit.submittedAt) : "not submitted"],
    ["Package", `version ${data.package.version}, issued ${ctx.date(data.package.issuedAt)} by ${data.package.issuedBy}`],
    ["Signed by", data.package.signer.subject],
  ] as const)
    ts.row(label, value);

  if (data.package.signer.selfSigned) {
    ts.moveDown(16);
    const text =
      "This package is signed with a self-signed development certificate. The signature shows that " +
      "the file has not changed since it was issued, but not who issued it. Do not rely on it " +
      "outside a demonstration or test.";
    const inner = ts.width - 28;
    const height = ts.heightOf(text, { width: inner, size: 9.5 }) + ts.heightOf("x", { size: 10, style: "bold" }) + 24;
    ts.ensureSpace(height);
    const top = doc.y;
    doc.save().roundedRect(ts.left, top, ts.width, height, 4).fillAndStroke(COLORS.warnBackground, COLORS.warnBorder).restore();
    ts.write("Demonstration signature", { x: ts.left + 14, y: top + 10, width: inner, size: 10, style: "bold", color: COLORS.warn });
    ts.moveDown(2);
    ts.write(text, { x: ts.left + 14, width: inner, size: 9.5 });
    doc.y = top + height;
  }

  if (view.includeInternalNotes) {
    ts.moveDown(12);
    ts.write("This copy includes the audit team’s internal notes: do not share it with the provider.", {
      size: 10,
      style: "bold",
      color: COLORS.bad,
    });
  }

  ts.moveDown(18);
  ts.write(
    [
      {
        code: true,
        text:
          "The files listed in the attachment index are embedded in this PDF, together with manifest.json, a " +
      "machine-readable copy of the answers, ratings, verdict and file hashes. Open your PDF viewer’s " +
          "attachments panel, or run `pdfdetach -list` on the file.",
      },
    ],
    { size: 8.5, color: COLORS.muted },
  );
}
