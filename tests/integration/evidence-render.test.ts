import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pdfkitAddPlaceholder } from "@signpdf/placeholder-pdfkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderEvidencePdf, type TRenderEvidencePdfResult } from "@/lib/evidence/render/render-evidence-pdf";
import {
  buildSamplePackage,
  CHINESE,
  GERMAN,
  INTERNAL_NOTE,
  PROVIDER_VISIBLE_MESSAGE,
  SWEDISH,
  UNANSWERED_QUESTION,
} from "./evidence-render-support/sample-package";

// The evidence package renderer, checked with the tools a recipient would use: qpdf for the
// structure, poppler for text, attachments, pages and outline.

const dir = mkdtempSync(path.join(os.tmpdir(), "assay-evidence-render-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });

/** The body text of every page (the running header and footer cropped away), as pdftotext reads it. */
function bodyText(file: string): string {
  // A4 in points (pdftotext's default 72 dpi): header above y=50, footer below y=792.
  return run("pdftotext", ["-enc", "UTF-8", "-x", "0", "-y", "50", "-W", "596", "-H", "742", file, "-"]);
}

/**
 * Text compared without whitespace and hyphens: lines wrap at spaces, slashes and hyphens, and
 * pdftotext joins a word hyphenated at a line end ("anti-" + "affinity" reads "antiaffinity").
 * Backticks mark inline code in questionnaire texts; the PDF sets it in a monospace font instead.
 */
const squash = (s: string) => s.normalize("NFC").replace(/`/g, "").replace(/[\s\-\u2010]+/g, "");
/** Runs of whitespace as one space: for strings that must come out exactly as typed. */
const collapse = (s: string) => s.normalize("NFC").replace(/\s+/g, " ");

function outlineTitles(file: string): { title: string; page: number; kids: { title: string; page: number }[] }[] {
  const json = JSON.parse(run("qpdf", ["--json", "--json-key=outlines", file])) as {
    outlines: { title: string; destpageposfrom1: number; kids: { title: string; destpageposfrom1: number }[] }[];
  };
  return json.outlines.map((o) => ({ title: o.title, page: o.destpageposfrom1, kids: o.kids.map((k) => ({ title: k.title, page: k.destpageposfrom1 })) }));
}

function qpdfCheck(file: string) {
  const r = spawnSync("qpdf", ["--check", file], { encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("rendering the evidence package", () => {
  let sample: ReturnType<typeof buildSamplePackage>;
  let file: string;
  let result: TRenderEvidencePdfResult;
  let text: string;

  beforeAll(async () => {
    sample = buildSamplePackage();
    file = path.join(dir, "package.pdf");
    result = await renderEvidencePdf({ data: sample.data, outPath: file });
    text = bodyText(file);
  });

  it("writes a structurally valid PDF whose page count is the one returned", () => {
    const check = qpdfCheck(file);
    expect(check.output).toContain("No syntax or stream encoding errors found");
    expect(check.status).toBe(0);
    expect(run("pdfinfo", [file])).toMatch(new RegExp(`^Pages:\\s+${result.pages}$`, "m"));
    expect(result.bytes).toBe(readFileSync(file).length);
  });

  it("runs on the pdfkit version whose private fields it was written against", () => {
    // lib/evidence/render/pdfkit-internals.ts: an upgrade needs these tests re-run and the
    // internals re-read before the pin moves.
    const { version } = JSON.parse(readFileSync(path.resolve("node_modules/pdfkit/package.json"), "utf8")) as { version: string };
    expect(version).toBe("0.20.2");
  });

  it("shows every visible question and every answer, in any script", () => {
    const flat = squash(text);
    const missing = sample.visibleQuestions.filter((q) => !flat.includes(squash(q.text))).map((q) => q.id);
    expect(missing).toEqual([]);
    for (const a of result.manifest.answers.filter((a) => a.status === "answered"))
      for (const line of a.display) expect(flat, `answer to ${a.questionId}`).toContain(squash(line));
    const exact = collapse(text);
    for (const s of [SWEDISH, GERMAN, CHINESE]) expect(exact).toContain(s);
  });

  it("marks unanswered and skipped questions", () => {
    const flat = squash(text);
    const q = result.manifest.answers.find((a) => a.questionId === UNANSWERED_QUESTION)!;
    expect(q.status).toBe("unanswered");
    expect(flat).toContain(squash("Can you share anything about the major findings and how you resolved them? Not answered (required)"));
    // Out of scope (HIPAA is off), and a follow-up hidden by its parent's "no".
    expect(flat).toContain(squash("Are you familiar with Business Associate Agreements? Out of scope: asked only when “HIPAA applies” applies."));
    const parent = result.manifest.answers.find((a) => a.questionId === "tech.iaas.ubuntu-images")!;
    expect(flat).toContain(squash(`Which? Skipped: asked only when ${parent.number} is answered “Yes”.`));
  });

  it("shows ratings, the verdict and the provider-visible clarification, without internal notes", () => {
    const flat = squash(text);
    expect(flat).toContain(squash("Needs clarification — Restore tests are not described."));
    expect(flat).toContain(squash("Suitable with conditions"));
    expect(flat).toContain(squash("Breach notification within 24 hours, written into the DPA."));
    expect(flat).toContain(squash(PROVIDER_VISIBLE_MESSAGE));
    expect(flat).not.toContain(squash(INTERNAL_NOTE));
    expect(JSON.stringify(result.manifest)).not.toContain(INTERNAL_NOTE);
    expect(flat).toContain(squash("signed with a self-signed development certificate"));
  });

  it("lists the evidence checklist with the files satisfying each item, or missing", () => {
    const flat = squash(text);
    expect(flat).toContain(squash("Filled questionnaire ● Missing: no file satisfies this item"));
    expect(flat).toContain(squash("Certificate: issued by BSI Group; scope: Cloud hosting and operations; valid until 2027-06-30"));
    const certificates = result.manifest.checklist.find((c) => c.id === "certificates")!;
    expect(certificates.status).toBe("ok");
    expect(certificates.attachments).toEqual(["A01-ISO 27001 certificate.pdf"]);
  });

  it("embeds every attachment and manifest.json, byte for byte", () => {
    const names = sample.files.map((f) => `A0${sample.files.indexOf(f) + 1}-${f.attachment.fileName}`);
    const listing = run("pdfdetach", ["-list", "-enc", "UTF-8", file]);
    for (const name of [...names, "manifest.json"]) expect(listing).toContain(name);
    expect(listing).toMatch(/^4 embedded files$/m);

    const out = path.join(dir, "detached");
    rmSync(out, { recursive: true, force: true });
    execFileSync("mkdir", ["-p", out]);
    run("pdfdetach", ["-saveall", "-enc", "UTF-8", "-o", out, file]);
    expect(readdirSync(out).sort()).toEqual([...names, "manifest.json"].sort());
    sample.files.forEach((f, i) => expect(sha256(readFileSync(path.join(out, names[i]!)))).toBe(sha256(f.bytes)));

    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")) as TRenderEvidencePdfResult["manifest"];
    expect(readFileSync(path.join(out, "manifest.json"), "utf8")).toBe(result.manifestJson);
    expect(manifest.format).toBe("assay-evidence-package/1");
    expect(manifest.attachments.map((a) => ({ embeddedName: a.embeddedName, fileName: a.fileName, sha256: a.sha256, size: a.size, mediaType: a.mediaType }))).toEqual(
      sample.files.map((f, i) => ({
        embeddedName: names[i],
        fileName: f.attachment.fileName,
        sha256: sha256(f.bytes),
        size: f.bytes.length,
        mediaType: f.attachment.mediaType,
      })),
    );
    expect(manifest.verdict?.verdict).toBe("suitable_with_conditions");
    expect(manifest.answers.find((a) => a.questionId === "org.disaster-recovery")?.value).toBe(SWEDISH);
  });

  it("has an outline entry per section that opens the section's page, and a table of contents", () => {
    const outline = outlineTitles(file);
    const sections = sample.data.questionnaire.definition.sections;
    for (const s of sections) expect(outline.map((o) => o.title)).toContain(`${sections.indexOf(s) + 1}  ${s.title}`);
    const tech = outline.find((o) => o.title.endsWith("Technical Capability Questionnaire"))!;
    expect(tech.kids.map((k) => k.title)).toContain("Availability Zones");
    // The page the outline opens is the page the section starts on, and the one the contents list.
    const page = run("pdftotext", ["-enc", "UTF-8", "-f", String(tech.page), "-l", String(tech.page), file, "-"]);
    expect(page).toContain("Technical Capability Questionnaire");
    expect(collapse(text)).toMatch(new RegExp(`1 Technical Capability Questionnaire ${tech.page}\\b`));
    expect(run("pdftotext", ["-enc", "UTF-8", "-f", String(result.pages), "-l", String(result.pages), file, "-"])).toContain(
      `Page ${result.pages} of ${result.pages}`,
    );
  });

  it("includes internal notes only when asked to", async () => {
    const withNotes = path.join(dir, "with-notes.pdf");
    const r = await renderEvidencePdf({ data: buildSamplePackage().data, outPath: withNotes, includeInternalNotes: true });
    const flat = squash(bodyText(withNotes));
    expect(flat).toContain(squash(INTERNAL_NOTE));
    expect(flat).toContain(squash(PROVIDER_VISIBLE_MESSAGE));
    expect(flat).toContain(squash("This copy includes the audit team’s internal notes: do not share it with the provider."));
    expect(squash(text)).not.toContain(squash("This copy includes the audit team’s internal notes"));
    expect(r.manifest.package.includesInternalNotes).toBe(true);
  });

  it("refuses an attachment whose stored bytes do not match its recorded SHA-256, and leaves no file", async () => {
    const { data } = buildSamplePackage();
    const broken = path.join(dir, "broken.pdf");
    const attachments = data.attachments.map((a, i) => (i === 2 ? { ...a, sha256: sha256(Buffer.from("something else")) } : a));
    await expect(renderEvidencePdf({ data: { ...data, attachments }, outPath: broken })).rejects.toThrow(
      /Villkor och DPA \(Ägarstruktur\)\.zip" has SHA-256 [0-9a-f]{64}, [0-9a-f]{64} recorded/,
    );
    expect(existsSync(broken)).toBe(false);

    const short = data.attachments.map((a, i) => (i === 1 ? { ...a, size: a.size + 1 } : a));
    await expect(renderEvidencePdf({ data: { ...data, attachments: short }, outPath: broken })).rejects.toThrow(/has 70 bytes, 71 recorded/);
    expect(existsSync(broken)).toBe(false);
  });

  it("leaves room for a signature: pdfkitAddPlaceholder in beforeEnd gives a valid PDF", async () => {
    const signed = path.join(dir, "placeholder.pdf");
    const r = await renderEvidencePdf({
      data: buildSamplePackage().data,
      outPath: signed,
      beforeEnd: (doc) =>
        pdfkitAddPlaceholder({
          pdf: doc,
          pdfBuffer: Buffer.alloc(0),
          reason: "Evidence package",
          contactInfo: "security@example.org",
          name: "Assay",
          location: "Stockholm",
          signatureLength: 16_384,
        }),
    });
    const check = qpdfCheck(signed);
    expect(check.status, check.output).toBe(0);
    const bytes = readFileSync(signed);
    expect(bytes.includes("/Type /Sig")).toBe(true);
    expect(bytes.includes("/ByteRange [0 /********** /********** /**********]")).toBe(true);
    expect(run("pdfinfo", [signed])).toMatch(new RegExp(`^Pages:\\s+${r.pages}$`, "m"));
    expect(run("pdfdetach", ["-list", signed])).toMatch(/^4 embedded files$/m);
  });
});

describe("memory while embedding large attachments (printed, not asserted)", () => {
  const MiB = 1024 * 1024;

  /** Writes `mb` MiB a chunk at a time (random or repetitive) and returns its SHA-256. */
  function writeLarge(file: string, mb: number, random: boolean): string {
    const hash = createHash("sha256");
    const fd = openSync(file, "w");
    const line = Buffer.alloc(MiB, "2026-11-20T12:00:00Z INFO request served in 12 ms, status 200, path /api/health\n");
    for (let i = 0; i < mb; i++) {
      const chunk = random ? randomBytes(MiB) : line;
      hash.update(chunk);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    return hash.digest("hex");
  }

  // Each in a fresh process: RSS inside this worker would mostly be the earlier tests' garbage.
  function measure(mb: number) {
    const files = [
      { path: path.join(dir, `random-${mb}.bin`), random: true, mediaType: "application/octet-stream" },
      { path: path.join(dir, `server-${mb}.log`), random: false, mediaType: "text/plain" },
    ].map((f) => ({ path: f.path, mediaType: f.mediaType, sha256: writeLarge(f.path, mb, f.random) }));
    const outPath = path.join(dir, `large-${mb}.pdf`);
    const script = path.resolve("tests/integration/evidence-render-support/measure-render-memory.ts");
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", "--conditions=react-server", script, outPath, JSON.stringify(files)], {
      encoding: "utf8",
    });
    return { outPath, figures: out.trim().split("\n").at(-1)! };
  }

  it("renders 2 × 20 MB (one random, one compressible), then 2 × 40 MB, and reports peak RSS", () => {
    for (const mb of [20, 40]) {
      const { outPath, figures } = measure(mb);
      console.log(`[evidence-render] 2 × ${mb} MiB attachments: ${figures}`);
      expect(qpdfCheck(outPath).status).toBe(0);
    }
  }, 60_000);
});
