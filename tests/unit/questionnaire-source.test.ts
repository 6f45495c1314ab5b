import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseQuestionnaireFile } from "@/lib/questionnaires/parse-questionnaire-file";
import { walkQuestions, type TQuestion, type TQuestionnaire, type TSection } from "@/lib/questionnaires/schema";

// Checks questionnaires/infrastructure-provider/1.0.0.yaml against the document it encodes, so
// that no question of the source is lost, moved to another section or encoded twice. The expected
// questions are derived from the source text here, never listed by hand.

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const SOURCE = path.join(repoRoot, "..", "shared", "seeds", "004_3f87f4aab7f16750.txt");
const FILE = path.join("questionnaires", "infrastructure-provider", "1.0.0.yaml");

const HEADING = "\u00b6"; // the scraped page ends each section heading with a pilcrow
/** Bracketed tags that open a source bullet, and the scope each one stands for. */
const TAG_SCOPES: Record<string, string> = { "For NFS": "nfs", "HIPAA only": "hipaa" };

/**
 * Compares text while ignoring what the scrape broke: it dropped the whitespace around inline code
 * ("and`anongid`" became "andanongid"), so all whitespace is removed; backticks go, curly quotes
 * become straight. Case and every other character still count.
 */
function normalise(s: string): string {
  return s
    .replace(/[`]/g, "")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, "");
}

interface TSourceLine {
  text: string;
  heading: string | undefined;
  /** After the "For Elastisys Self-Managed Customers" note: the part that may be skipped. */
  managedOnly: boolean;
  /** A line of the questions, from "Technical Capability Questionnaire" up to "Evidence", headings excluded. */
  inQuestionnaire: boolean;
}

interface TUnit {
  /** A question sentence with the non-question sentences that follow it in the same bullet. */
  text: string;
  tag?: string;
  heading: string;
  managedOnly: boolean;
  /** The whole bullet it came from. */
  bullet: string;
}

function readSource(): string {
  if (!existsSync(SOURCE))
    throw new Error(`source document not found: expected it at ${SOURCE} (the shared seeds beside the repository)`);
  return readFileSync(SOURCE, "utf8");
}

/**
 * Rebuilds the source's logical lines. The scrape put every inline-code span on a line of its own
 * and lost the surrounding spaces, so a line that is not a bullet ("- …") or a heading continues
 * the previous one when that one ends mid-sentence or when it starts with punctuation.
 */
function logicalLines(source: string): TSourceLine[] {
  const joined: string[] = [];
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const prev = joined[joined.length - 1];
    const continues =
      prev !== undefined &&
      !line.startsWith("- ") &&
      !line.endsWith(HEADING) &&
      (/^[,.?)]/.test(line) || !/[?.:!\u00b6]$/.test(prev));
    if (continues) joined[joined.length - 1] = prev + line;
    else joined.push(line);
  }

  // When the page closed a list it repeated that list's first bullet ("Do you offer Object Storage
  // as a Service (OSaaS)?" twice): a bullet that repeats an earlier line right before a list break
  // (a lone "-" joined to the next heading, or a section heading) is an artefact, not a question.
  const isBreak = (l: string | undefined) => l === undefined || l.endsWith(HEADING) || /^-\S/.test(l);
  const kept = joined.filter((l, i) => !(l.startsWith("- ") && isBreak(joined[i + 1]) && joined.slice(0, i).includes(l)));

  let heading: string | undefined;
  let managedOnly = false;
  let questionsStarted = false;
  return kept.map((text) => {
    const isHeading = text.endsWith(HEADING);
    if (isHeading) heading = text.slice(0, -1).trim();
    if (heading === "Technical Capability Questionnaire") questionsStarted = true;
    if (text.startsWith("For Elastisys Self-Managed Customers")) managedOnly = true;
    return { text, heading, managedOnly, inQuestionnaire: questionsStarted && !isHeading && heading !== "Evidence" };
  });
}

/** Splits a line that holds several bullets (") ? - The default …", "? 1. Can you share …"). */
function bullets(line: string): string[] {
  return line
    .split(/(?<=[?.:])\s+(?:-|\d+\.)\s+(?=\S)/)
    .map((b) => b.replace(/^-\s+/, "").trim())
    .filter(Boolean);
}

/** The question units of a bullet: each sentence ending in "?" plus the statements after it. */
function units(bullet: string): string[] {
  const out: string[] = [];
  for (const piece of bullet.split(/(?<=\?)\s+(?=\S)/)) {
    if (piece.endsWith("?") || out.length === 0) out.push(piece);
    else out[out.length - 1] += ` ${piece}`;
  }
  return out.filter((u) => u.includes("?"));
}

function sourceUnits(lines: TSourceLine[]): TUnit[] {
  const out: TUnit[] = [];
  for (const line of lines) {
    if (!line.inQuestionnaire || !line.text.includes("?")) continue;
    for (const bullet of bullets(line.text)) {
      const tagMatch = /^\[([^\]]+)\]\s*/.exec(bullet);
      const tag = tagMatch?.[1];
      const body = tagMatch ? bullet.slice(tagMatch[0].length) : bullet;
      for (const text of units(body)) out.push({ text, tag, heading: line.heading!, managedOnly: line.managedOnly, bullet: body });
    }
  }
  return out;
}

/** Bullets of the questionnaire part that ask nothing: sub-headings ("Storage capabilities:") and lead-ins. */
function statementBullets(lines: TSourceLine[]): { text: string; heading: string }[] {
  const out: { text: string; heading: string }[] = [];
  for (const line of lines) {
    // "-" alone on a line was joined to the heading after it ("-Storage capabilities:").
    if (!line.inQuestionnaire || !line.text.startsWith("-") || line.text.includes("?")) continue;
    out.push({ text: line.text.replace(/^-\s*/, "").replace(/:$/, ""), heading: line.heading! });
  }
  return out;
}

function bulletsUnder(lines: TSourceLine[], heading: string): string[] {
  return lines.filter((l) => l.heading === heading && l.text.startsWith("- ")).map((l) => l.text.slice(2).trim());
}

interface TFound {
  question: TQuestion;
  parent?: TQuestion;
  section: TSection;
  normalised: string;
}

function loadQuestionnaire(): TQuestionnaire {
  const result = parseQuestionnaireFile({ file: FILE, text: readFileSync(path.join(repoRoot, FILE), "utf8") });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join("\n"));
  return result.questionnaire;
}

describe("questionnaires/infrastructure-provider/1.0.0.yaml against its source document", () => {
  const lines = logicalLines(readSource());
  const all = sourceUnits(lines);
  const questionnaire = loadQuestionnaire();
  const questions: TFound[] = [...walkQuestions(questionnaire)].map(({ question, parent, section }) => ({
    question,
    parent,
    section,
    normalised: normalise(question.text),
  }));
  const containing = (unit: TUnit) => {
    const wanted = normalise(unit.text);
    return questions.filter((q) => q.normalised.includes(wanted));
  };

  it("finds the source's questions (sanity check of the extraction)", () => {
    expect(all.length).toBeGreaterThan(120);
    const headings = new Set(all.map((u) => u.heading));
    expect([...headings]).toEqual(["Technical Capability Questionnaire", "Organizational capabilities", "Legal issues", "Collaboration", "Environment Management"]);
  });

  it("encodes every question of the source exactly as often as the source asks it, in its section", () => {
    // Keyed by section and normalised text: "Do you have a Terraform provider for your API?" is
    // asked five times in the technical section and must be five questions there.
    const expected = new Map<string, { unit: TUnit; count: number }>();
    for (const unit of all) {
      const key = `${unit.heading}\u0000${normalise(unit.text)}`;
      const entry = expected.get(key) ?? { unit, count: 0 };
      entry.count++;
      expected.set(key, entry);
    }
    const problems: string[] = [];
    for (const { unit, count } of expected.values()) {
      const inSection = containing(unit).filter((q) => q.section.title === unit.heading);
      if (inSection.length !== count)
        problems.push(`${unit.heading}: "${unit.text}" is asked ${count}× in the source, found in ${inSection.length} question(s) [${inSection.map((q) => q.question.id).join(", ")}]`);
    }
    expect(problems).toEqual([]);
  });

  it("encodes each bullet's sentences in one question or in a question and its follow-ups", () => {
    // A bullet split into a yes/no question and a dependent one ("Do you offer IPv6 support? By
    // default?") must keep its pieces together: the later piece is a follow-up of the earlier one.
    const problems: string[] = [];
    const byBullet = new Map<string, TUnit[]>();
    for (const unit of all) byBullet.set(`${unit.heading}\u0000${unit.bullet}`, [...(byBullet.get(`${unit.heading}\u0000${unit.bullet}`) ?? []), unit]);
    for (const bulletUnits of byBullet.values()) {
      for (let i = 1; i < bulletUnits.length; i++) {
        const here = containing(bulletUnits[i]!);
        const before = containing(bulletUnits[i - 1]!);
        const together = here.some((q) => before.some((b) => b.question === q.question || b.question === q.parent));
        if (!together) problems.push(`"${bulletUnits[i - 1]!.text}" and "${bulletUnits[i]!.text}" come from one bullet but are encoded apart`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("keeps the source's sub-headings and lead-ins as group titles or inside question texts", () => {
    // "Does the private network overlap:" introduces three questions and is itself one;
    // "Firewall-aaS" heads a list. The truncated repeat "The default Docker network (" passes
    // because it is a prefix of the real question.
    const statements = statementBullets(lines);
    expect(statements.length).toBeGreaterThanOrEqual(8);
    const problems: string[] = [];
    for (const { text, heading } of statements) {
      const wanted = normalise(text);
      const section = questionnaire.sections.find((s) => s.title === heading);
      const asTitle = section?.groups.some((g) => g.title !== undefined && normalise(g.title) === wanted);
      const inText = questions.some((q) => q.section === section && q.normalised.includes(wanted));
      if (!asTitle && !inText) problems.push(`${heading}: "${text}" is neither a group title nor part of a question`);
    }
    expect(problems).toEqual([]);
  });

  it("gives tagged questions ([For NFS], [HIPAA only]) their scope, and keeps the tag out of the text", () => {
    const tagged = all.filter((u) => u.tag !== undefined);
    expect(tagged.length).toBeGreaterThanOrEqual(2);
    for (const unit of tagged) {
      const scope = TAG_SCOPES[unit.tag!];
      expect(scope, `unknown tag [${unit.tag}] in the source`).toBeDefined();
      const found = containing(unit);
      expect(found.length, unit.text).toBeGreaterThan(0);
      for (const q of found) {
        expect(q.question.scope, q.question.id).toBe(scope);
        expect(q.question.text).not.toContain(`[${unit.tag}]`);
      }
      expect(questionnaire.scopes.map((s) => s.id)).toContain(scope);
    }
  });

  it('encodes every "If yes" / "If not" line as a follow-up of a yes/no question with that condition', () => {
    const conditional = all.filter((u) => /^If (yes|not)\b/.test(u.text));
    expect(conditional.length).toBeGreaterThanOrEqual(6);
    for (const unit of conditional) {
      const want = unit.text.startsWith("If yes") ? "yes" : "no";
      const found = containing(unit);
      expect(found.length, unit.text).toBe(1);
      const [q] = found;
      expect(q!.parent?.type, `${q!.question.id} needs a yes_no parent`).toBe("yes_no");
      expect(q!.question.when, q!.question.id).toEqual({ equals: want });
    }
  });

  it("puts the sections after the self-managed note in the part that only a managed service must answer", () => {
    const managedHeadings = [...new Set(all.filter((u) => u.managedOnly).map((u) => u.heading))];
    expect(managedHeadings.length).toBeGreaterThanOrEqual(3);
    const noteIndex = lines.findIndex((l) => l.text.startsWith("For Elastisys Self-Managed Customers"));
    const note = lines[noteIndex]!.text.replace(/^For Elastisys Self-Managed Customers/, "");
    for (const section of questionnaire.sections) {
      const managed = managedHeadings.includes(section.title);
      if (!managed) {
        expect(section.part, section.id).toBeUndefined();
        continue;
      }
      const part = questionnaire.parts.find((p) => p.id === section.part);
      expect(part, `${section.id} should belong to a part`).toBeDefined();
      expect(normalise(part!.guidance ?? "")).toContain(normalise(note));
      const scope = questionnaire.scopes.find((s) => s.id === part!.optionalUnless);
      expect(scope?.default, "the managed-service scope is set by default").toBe(true);
    }
    for (const heading of managedHeadings) expect(questionnaire.sections.map((s) => s.title)).toContain(heading);
  });

  it("carries the Overview's working method in the guidance", () => {
    for (const bullet of bulletsUnder(lines, "Overview")) expect(normalise(questionnaire.guidance)).toContain(normalise(bullet));
  });

  it("has the evidence package as its checklist, and an evidence section that asks for each item", () => {
    const items = bulletsUnder(lines, "Evidence");
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(questionnaire.evidence.map((e) => normalise(e.title))).toEqual(items.map(normalise));

    const evidenceSection = questionnaire.sections.find((s) => s.category === "evidence");
    expect(evidenceSection).toBeDefined();
    const intro = lines.find((l) => l.heading === "Evidence" && !l.text.startsWith("- ") && !l.text.endsWith(HEADING));
    expect(normalise(evidenceSection!.guidance ?? "")).toContain(normalise(intro!.text));
    const asked = questions.filter((q) => q.section === evidenceSection && q.question.type === "evidence");
    for (const item of questionnaire.evidence) {
      expect(asked.some((q) => q.question.evidence?.includes(item.id)), `nothing in the evidence section asks for ${item.id}`).toBe(true);
    }
  });
});
