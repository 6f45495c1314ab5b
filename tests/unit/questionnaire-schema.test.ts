import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatQuestionnaireErrors,
  listQuestionnaireFiles,
  parseQuestionnaireFile,
  type TQuestionnaireFileError,
} from "@/lib/questionnaires/parse-questionnaire-file";

const FILE = "questionnaires/demo/1.0.0.yaml";

const VALID = `# A small questionnaire that uses every cross-reference.
format: assay.questionnaire/v1
slug: demo
version: 1.0.0
title: Demo
guidance: Ask all questions, then evaluate.
scopes:
  - id: nfs
    label: Storage is used over NFS
  - id: managed
    label: Managed service
    default: true
parts:
  - id: managed-only
    title: Managed service questions
    optionalUnless: managed
evidence:
  - id: cert
    title: All relevant certificates
sections:
  - id: tech
    title: Technical
    category: technical
    groups:
      - id: tech.iaas
        questions:
          - id: tech.iaas.anti-affinity
            text: Do you support anti-affinity?
            type: yes_no
            followUps:
              - id: tech.iaas.anti-affinity.max
                text: If yes, what is the maximum group size?
                type: number
                when: { equals: "yes" }
          - id: tech.iaas.presentation
            text: Single API or multiple APIs?
            type: single_choice
            choices:
              - { id: single, label: Single API }
              - { id: multiple, label: Multiple APIs }
          - id: tech.iaas.nfs
            text: How did you configure User ID Mapping?
            type: long_text
            scope: nfs
  - id: legal
    title: Legal
    category: legal
    part: managed-only
    groups:
      - id: legal.all
        questions:
          - id: legal.certificate
            text: Can you show us your ISO-27001 certification?
            type: evidence
            evidence: [cert]
`;

function parse(text: string, file = FILE) {
  return parseQuestionnaireFile({ file, text });
}

function errorsOf(text: string, file = FILE): TQuestionnaireFileError[] {
  const result = parse(text, file);
  if (result.ok) throw new Error("expected the file to be rejected");
  return result.errors;
}

/** 1-based line of the first line containing `needle` (after `after`, if given). */
function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split("\n");
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= start && l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in the test text`);
  return i + 1;
}

function replace(text: string, from: string, to: string): string {
  expect(text, `test setup: "${from}" must occur once`).toContain(from);
  expect(text.indexOf(from), `test setup: "${from}" must occur once`).toBe(text.lastIndexOf(from));
  return text.replace(from, to);
}

/** The rejected file has exactly one error, at `line`, whose message matches `reason`. */
function expectOneError(text: string, line: number, reason: RegExp, file = FILE): TQuestionnaireFileError {
  const errors = errorsOf(text, file);
  expect(errors, formatQuestionnaireErrors(errors)).toHaveLength(1);
  const [error] = errors;
  expect(error!.line, formatQuestionnaireErrors(errors)).toBe(line);
  expect(error!.column).toBeGreaterThanOrEqual(1);
  expect(error!.message).toMatch(reason);
  expect(error!.file).toBe(file);
  return error!;
}

describe("parseQuestionnaireFile", () => {
  it("accepts a valid file and applies the defaults", () => {
    const result = parse(VALID);
    if (!result.ok) throw new Error(formatQuestionnaireErrors(result.errors));
    const q = result.questionnaire;
    expect(q.language).toBe("en");
    expect(q.scopes.find((s) => s.id === "nfs")?.default).toBe(false);
    const first = q.sections[0]!.groups[0]!.questions[0]!;
    expect(first.required).toBe(true);
    expect(first.followUps[0]!.followUps).toEqual([]);
    expect(result.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(result.canonical)).toEqual(q);
  });

  it("rejects a YAML syntax error at its line", () => {
    const text = replace(VALID, "title: Demo\n", "title: Demo: the sequel\n");
    const error = expectOneError(text, lineOf(text, "title: Demo: the sequel"), /YAML syntax/);
    expect(error.path).toBe("");
  });

  it("rejects a duplicate key as a YAML error", () => {
    const text = replace(VALID, "title: Demo\n", "title: Demo\ntitle: Again\n");
    expectOneError(text, lineOf(text, "title: Again"), /unique/i);
  });

  it("rejects a missing required field at the mapping that lacks it", () => {
    const text = replace(VALID, "                type: number\n", "");
    const error = expectOneError(text, lineOf(text, "- id: tech.iaas.anti-affinity.max"), /missing required field "type"/);
    expect(error.path).toBe("sections[0].groups[0].questions[0].followUps[0].type");
  });

  it("rejects an unknown field at the field", () => {
    const text = replace(VALID, "            scope: nfs\n", "            scope: nfs\n            colour: red\n");
    const error = expectOneError(text, lineOf(text, "colour: red"), /unknown field "colour"/);
    expect(error.column).toBe(13);
    expect(error.path).toBe("sections[0].groups[0].questions[2].colour");
  });

  it("rejects a duplicate question id", () => {
    const text = replace(VALID, "- id: tech.iaas.presentation", "- id: tech.iaas.anti-affinity");
    expectOneError(text, lineOf(text, "- id: tech.iaas.anti-affinity", "type: number"), /id "tech.iaas.anti-affinity" is already used by a question/);
  });

  it("rejects an id that another kind of node already uses", () => {
    const text = replace(VALID, "- id: legal.all", "- id: legal");
    expectOneError(text, lineOf(text, "- id: legal", "category: legal"), /already used by a section/);
  });

  it("rejects a condition on a top-level question", () => {
    const text = replace(VALID, "            scope: nfs\n", '            scope: nfs\n            when: { equals: "yes" }\n');
    const error = expectOneError(text, lineOf(text, "when: {", "scope: nfs"), /only a follow-up can have a condition/);
    expect(error.path).toBe("sections[0].groups[0].questions[2].when");
  });

  it("rejects a condition whose value is not an answer of the parent", () => {
    const text = replace(VALID, 'when: { equals: "yes" }', 'when: { equals: "maybe" }');
    expectOneError(text, lineOf(text, "maybe"), /"maybe" is not an answer of "tech.iaas.anti-affinity" \(expected one of yes, no\)/);
  });

  it("rejects a condition that gives both equals and anyOf", () => {
    const text = replace(VALID, 'when: { equals: "yes" }', 'when: { equals: "yes", anyOf: ["no"] }');
    expectOneError(text, lineOf(text, "anyOf"), /exactly one of `equals` or `anyOf`/);
  });

  it("rejects a choice question without choices", () => {
    const text = replace(
      VALID,
      "            choices:\n              - { id: single, label: Single API }\n              - { id: multiple, label: Multiple APIs }\n",
      "",
    );
    expectOneError(text, lineOf(text, "- id: tech.iaas.presentation"), /a single_choice question needs choices/);
  });

  it("rejects an unknown answer type", () => {
    const text = replace(VALID, "type: long_text", "type: essay");
    expectOneError(text, lineOf(text, "type: essay"), /expected one of/);
  });

  it("rejects an unknown scope", () => {
    const text = replace(VALID, "scope: nfs", "scope: hipaa");
    expectOneError(text, lineOf(text, "scope: hipaa"), /unknown scope "hipaa"/);
  });

  it("rejects an unknown part", () => {
    const text = replace(VALID, "part: managed-only", "part: managed-ony");
    expectOneError(text, lineOf(text, "part: managed-ony"), /unknown part "managed-ony"/);
  });

  it("rejects a part whose scope does not exist", () => {
    const text = replace(VALID, "optionalUnless: managed", "optionalUnless: manged");
    expectOneError(text, lineOf(text, "optionalUnless: manged"), /unknown scope "manged"/);
  });

  it("rejects an unknown evidence item", () => {
    const text = replace(VALID, "evidence: [cert]", "evidence: [certificate]");
    const error = expectOneError(text, lineOf(text, "evidence: [certificate]"), /unknown evidence item "certificate"/);
    expect(error.path).toBe("sections[1].groups[0].questions[0].evidence[0]");
  });

  it("rejects a slug that does not match the directory", () => {
    expectOneError(VALID, lineOf(VALID, "slug: demo"), /slug "demo" does not match the directory "other"/, "questionnaires/other/1.0.0.yaml");
  });

  it("rejects a version that does not match the file name", () => {
    expectOneError(VALID, lineOf(VALID, "version: 1.0.0"), /version "1.0.0" does not match the file name "1.1.0.yaml"/, "questionnaires/demo/1.1.0.yaml");
  });

  it("does not check names that are not questionnaires/<slug>/<version>.yaml", () => {
    expect(parse(VALID, "fixtures/anything.yaml").ok).toBe(true);
  });

  it("reports several problems at once, in file order", () => {
    let text = replace(VALID, "scope: nfs", "scope: hipaa");
    text = replace(text, "part: managed-only", "part: nope");
    const errors = errorsOf(text);
    expect(errors.map((e) => e.line)).toEqual([lineOf(text, "scope: hipaa"), lineOf(text, "part: nope")]);
  });

  it("formats errors one per line as file:line:column path: reason", () => {
    const text = replace(VALID, "scope: nfs", "scope: hipaa");
    const line = lineOf(text, "scope: hipaa");
    expect(formatQuestionnaireErrors(errorsOf(text))).toBe(
      `${FILE}:${line}:20 sections[0].groups[0].questions[2].scope: unknown scope "hipaa"`,
    );
  });
});

describe("content hash", () => {
  const hashOf = (text: string) => {
    const result = parse(text);
    if (!result.ok) throw new Error(formatQuestionnaireErrors(result.errors));
    return result.contentHash;
  };

  it("ignores comments, key order, quoting, layout and defaults written out", () => {
    const reworded = VALID
      // comments and blank lines
      .replace("# A small questionnaire that uses every cross-reference.\n", "# Another comment\n\n")
      // key order
      .replace("format: assay.questionnaire/v1\nslug: demo\n", "slug: demo\nformat: assay.questionnaire/v1\n")
      // quoting and flow vs block style
      .replace("title: Demo\n", 'title: "Demo"\n')
      .replace("            evidence: [cert]\n", "            evidence:\n              - cert\n")
      // a default written out
      .replace("                type: number\n", "                type: number\n                required: true\n");
    expect(reworded).not.toBe(VALID);
    expect(hashOf(reworded)).toBe(hashOf(VALID));
  });

  it("changes when a question's text changes", () => {
    expect(hashOf(VALID.replace("Do you support anti-affinity?", "Do you support anti-affinity groups?"))).not.toBe(hashOf(VALID));
  });

  it("changes when the order of a list changes (order is content: it is the order shown)", () => {
    const choicesSwapped = VALID.replace(
      "              - { id: single, label: Single API }\n              - { id: multiple, label: Multiple APIs }\n",
      "              - { id: multiple, label: Multiple APIs }\n              - { id: single, label: Single API }\n",
    );
    expect(choicesSwapped).not.toBe(VALID);
    expect(hashOf(choicesSwapped)).not.toBe(hashOf(VALID));
  });
});

describe("listQuestionnaireFiles", () => {
  it("lists <dir>/<slug>/<version>.yaml sorted by slug, then numerically by version", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "assay-questionnaires-"));
    try {
      for (const [slug, name] of [
        ["vendor", "1.10.0.yaml"],
        ["vendor", "1.9.0.yaml"],
        ["infrastructure-provider", "1.0.0.yaml"],
        ["infrastructure-provider", "notes.md"],
      ] as const) {
        mkdirSync(path.join(dir, slug), { recursive: true });
        writeFileSync(path.join(dir, slug, name), "");
      }
      writeFileSync(path.join(dir, "README.md"), "");
      expect(listQuestionnaireFiles(dir).map((f) => path.relative(dir, f))).toEqual([
        path.join("infrastructure-provider", "1.0.0.yaml"),
        path.join("vendor", "1.9.0.yaml"),
        path.join("vendor", "1.10.0.yaml"),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
