import { describe, expect, it } from "vitest";
import type { TQuestion, TQuestionnaire } from "@/lib/questionnaires/schema";
import { computeEvidenceStatus, EXPIRING_WITHIN_DAYS, fileStatus } from "./evidence-status";
import type { TAttachmentView } from "./types";

const q = (id: string, evidence?: string[], followUps: TQuestion[] = []): TQuestion => ({ id, text: id, type: "evidence", required: true, evidence, followUps });

const definition: Pick<TQuestionnaire, "sections" | "evidence"> = {
  evidence: [
    { id: "certificates", title: "Certificates" },
    { id: "dpa", title: "Data processing agreement", description: "Signed." },
    { id: "ownership", title: "Ownership structure" },
  ],
  sections: [
    {
      id: "org",
      title: "Organizational",
      category: "organizational",
      groups: [{ id: "org.g", questions: [q("org.iso", ["certificates"], [q("org.iso.soa", ["certificates"])]), q("org.other")] }],
    },
    { id: "legal", title: "Legal", category: "legal", groups: [{ id: "legal.g", questions: [q("legal.dpa", ["dpa"])] }] },
  ],
};

let n = 0;
function file(target: { questionId?: string; evidenceItemId?: string }, expiresOn: string | null = null, createdAt = "2026-01-01T00:00:00.000Z"): TAttachmentView {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    questionId: target.questionId ?? null,
    evidenceItemId: target.evidenceItemId ?? null,
    fileName: `f${n}.pdf`,
    contentType: "application/pdf",
    size: 10,
    sha256: "0".repeat(64),
    createdAt,
    uploadedBy: "Officer",
    uploadedByProvider: false,
    certificate: expiresOn ? { issuer: null, scope: null, expiresOn } : null,
    canDelete: false,
  };
}

const TODAY = "2026-11-23";

describe("fileStatus", () => {
  it("is ok without an expiry, expired the day after it, expiring within 90 days (inclusive)", () => {
    expect(fileStatus(file({}), TODAY)).toBe("ok");
    expect(fileStatus(file({}, "2026-11-22"), TODAY)).toBe("expired");
    expect(fileStatus(file({}, TODAY), TODAY)).toBe("expiring"); // valid through its last day
    expect(EXPIRING_WITHIN_DAYS).toBe(90);
    expect(fileStatus(file({}, "2027-02-21"), TODAY)).toBe("expiring"); // 90 days
    expect(fileStatus(file({}, "2027-02-22"), TODAY)).toBe("ok"); // 91 days
  });
});

describe("computeEvidenceStatus", () => {
  it("marks every item missing when nothing is attached", () => {
    const o = computeEvidenceStatus({ definition, attachments: [], today: TODAY });
    expect(o.items.map((i) => [i.id, i.status])).toEqual([
      ["certificates", "missing"],
      ["dpa", "missing"],
      ["ownership", "missing"],
    ]);
    expect(o.counts).toEqual({ missing: 3, expired: 0, expiring: 0, ok: 0 });
    expect(o.items[0]!.questionIds).toEqual(["org.iso", "org.iso.soa"]);
    expect(o.items[1]!.description).toBe("Signed.");
  });

  it("counts files attached to the item and to questions that ask for it (follow-ups too)", () => {
    const a = file({ questionId: "org.iso.soa" }, "2028-01-01");
    const b = file({ evidenceItemId: "dpa" });
    const c = file({ questionId: "org.other" });
    const o = computeEvidenceStatus({ definition, attachments: [a, b, c], today: TODAY });
    const byId = Object.fromEntries(o.items.map((i) => [i.id, i]));
    expect(byId.certificates!.attachments).toEqual([a]);
    expect(byId.certificates!.status).toBe("ok");
    expect(byId.dpa!.attachments).toEqual([b]);
    expect(byId.ownership!.status).toBe("missing");
    expect(o.byQuestion).toEqual({ "org.iso.soa": [a], "org.other": [c] });
  });

  it("takes the best file: one valid certificate beats an expired one; all expired is expired", () => {
    const expired = file({ evidenceItemId: "certificates" }, "2025-12-31");
    const soon = file({ questionId: "org.iso" }, "2026-12-31");
    let o = computeEvidenceStatus({ definition, attachments: [expired], today: TODAY });
    expect(o.items[0]).toMatchObject({ status: "expired", latestExpiry: "2025-12-31", daysLeft: -327 });
    o = computeEvidenceStatus({ definition, attachments: [expired, soon], today: TODAY });
    expect(o.items[0]).toMatchObject({ status: "expiring", latestExpiry: "2026-12-31", daysLeft: 38 });
    o = computeEvidenceStatus({ definition, attachments: [expired, soon, file({ evidenceItemId: "certificates" })], today: TODAY });
    expect(o.items[0]!.status).toBe("ok");
  });

  it("orders files oldest first and ignores items the questionnaire does not have", () => {
    const late = file({ evidenceItemId: "dpa" }, null, "2026-03-01T00:00:00.000Z");
    const early = file({ evidenceItemId: "dpa" }, null, "2026-02-01T00:00:00.000Z");
    const stray = file({ evidenceItemId: "tax-returns" });
    const o = computeEvidenceStatus({ definition, attachments: [late, early, stray], today: TODAY });
    expect(o.items[1]!.attachments).toEqual([early, late]);
    expect(o.items.flatMap((i) => i.attachments)).not.toContain(stray);
  });
});
