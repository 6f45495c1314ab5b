import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { readGroupsClaim, rolesFromGroups } from "./roles";
import { safeCallbackPath } from "./safe-callback-url";

describe("roles from the groups claim", () => {
  const env = parseEnv({ ROLE_GROUPS_OFFICER: "compliance,grc", ROLE_GROUPS_ADMIN: "it-admins" });

  it("maps configured groups to roles and ignores the rest", () => {
    expect(rolesFromGroups(["grc", "staff"], env)).toEqual(["OFFICER"]);
    expect(rolesFromGroups(["it-admins", "assay-reviewers", "compliance"], env)).toEqual(["OFFICER", "REVIEWER", "ADMIN"]);
    expect(rolesFromGroups(["staff"], env)).toEqual([]);
  });

  it("reads the claim as an IdP may send it", () => {
    expect(readGroupsClaim(["a", 1, "b"])).toEqual(["a", "b"]);
    expect(readGroupsClaim("a")).toEqual(["a"]);
    expect(readGroupsClaim(undefined)).toEqual([]);
  });
});

describe("the return path after sign-in", () => {
  it.each([
    ["/audits/123", "/audits/123"],
    ["https://evil.example/", "/audits"],
    ["//evil.example/", "/audits"],
    ["/\\evil.example", "/audits"],
    ["/signin?callbackUrl=/x", "/audits"],
    [undefined, "/audits"],
  ])("%s → %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });
});
