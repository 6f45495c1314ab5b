import { describe, expect, it } from "vitest";
import { answerValueSchema } from "./answer-value";
import { fromRaw, toRaw } from "./raw-value";
import type { TQuestion } from "./schema";

const question = (type: TQuestion["type"], extra: Partial<TQuestion> = {}): TQuestion => ({ id: "q", text: "Q?", type, required: true, followUps: [], ...extra });
const choices = [
  { id: "a", label: "A" },
  { id: "b", label: "B" },
];

describe("answer values by question type", () => {
  it("accepts what each type expects and null to clear", () => {
    expect(answerValueSchema(question("yes_no")).parse("yes")).toBe("yes");
    expect(answerValueSchema(question("single_choice", { choices })).parse("b")).toBe("b");
    expect(answerValueSchema(question("multiple_choice", { choices })).parse(["a", "b"])).toEqual(["a", "b"]);
    expect(answerValueSchema(question("number")).parse(40)).toBe(40);
    expect(answerValueSchema(question("date")).parse("2026-02-28")).toBe("2026-02-28");
    expect(answerValueSchema(question("long_text")).parse(null)).toBeNull();
  });

  it.each([
    ["yes_no", "maybe", "answer yes or no"],
    ["single_choice", "c", "pick one of the listed options"],
    ["multiple_choice", ["a", "a"], "an option is listed twice"],
    ["number", "40", "enter a number"],
    ["date", "2026-02-30", "this date does not exist"],
    ["date", "30/01/2026", "use a date like 2026-01-31"],
    ["text", "x".repeat(2001), "keep it under 2,000 characters"],
  ] as const)("refuses a wrong %s value with a clear message", (type, value, message) => {
    const r = answerValueSchema(question(type, type.endsWith("choice") ? { choices } : {})).safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(message);
  });

  it("converts form values both ways", () => {
    const n = question("number");
    expect(fromRaw(n, " 12.5 ")).toBe(12.5);
    expect(fromRaw(n, "")).toBeNull();
    expect(fromRaw(n, "twelve")).toBe("twelve"); // left for the schema to refuse
    expect(toRaw(n, 12.5)).toBe("12.5");
    const m = question("multiple_choice", { choices });
    expect(fromRaw(m, [])).toBeNull();
    expect(toRaw(m, null)).toEqual([]);
  });
});
