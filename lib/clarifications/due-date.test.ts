import { describe, expect, it } from "vitest";
import { earliestToday, isOverdue, todayUtc } from "./due-date";
import { ZOpenClarificationInput } from "./schemas";

const at = (iso: string) => new Date(iso);

describe("due dates", () => {
  it("today is the earliest zone's date, so no browser's today is in the past", () => {
    expect(earliestToday(at("2026-11-24T11:59:00Z"))).toBe("2026-11-23");
    expect(earliestToday(at("2026-11-24T12:00:00Z"))).toBe("2026-11-24");
    // 20:00 in California on the 23rd is 04:00 UTC on the 24th: the 23rd is still allowed.
    expect(earliestToday(at("2026-11-24T04:00:00Z"))).toBe("2026-11-23");
  });

  it("is overdue the day after the due date, and only while the provider owes a reply", () => {
    const now = at("2026-11-24T09:00:00Z");
    expect(todayUtc(now)).toBe("2026-11-24");
    expect(isOverdue("2026-11-23", "OPEN", now)).toBe(true);
    expect(isOverdue("2026-11-24", "OPEN", now)).toBe(false);
    expect(isOverdue("2026-11-23", "ANSWERED", now)).toBe(false);
    expect(isOverdue("2026-11-23", "RESOLVED", now)).toBe(false);
    expect(isOverdue(null, "OPEN", now)).toBe(false);
  });

  it("the form schema refuses past and malformed dates and treats an empty field as none", () => {
    const base = { auditId: "00000000-0000-4000-8000-000000000000", questionId: "tech.az.locations", body: "Why?" };
    const parse = (dueOn: string | undefined) => ZOpenClarificationInput.safeParse({ ...base, dueOn });
    expect(parse("")).toMatchObject({ success: true, data: { dueOn: undefined } });
    expect(parse(undefined).success).toBe(true);
    expect(parse(todayUtc()).success).toBe(true);
    expect(parse("2020-01-01").error?.issues[0]?.message).toBe("pick today or a later date");
    expect(parse("2026-02-30").error?.issues[0]?.message).toBe("enter a date");
    expect(parse("tomorrow").error?.issues[0]?.message).toBe("enter a date");
  });
});
