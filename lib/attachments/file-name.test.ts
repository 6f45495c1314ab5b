import { describe, expect, it } from "vitest";
import { contentDisposition, MAX_FILE_NAME_LENGTH, sanitizeFileName } from "./file-name";

describe("sanitizeFileName", () => {
  it.each([
    ["report.pdf", "report.pdf", "pdf"],
    ["Report.PDF", "Report.pdf", "pdf"], // the extension is kept in lower case
    ["../../etc/passwd.pdf", "passwd.pdf", "pdf"],
    ["C:\\Users\\me\\Desktop\\scan.png", "scan.png", "png"],
    ["invoice\u202efdp.exe", "invoicefdp.exe", "exe"],
    ["a\u0000b\r\nc.txt", "abc.txt", "txt"],
    ["  spaced   out  .csv  ", "spaced out.csv", "csv"],
    ["...hidden.zip", "hidden.zip", "zip"],
    ["CON.pdf", "_CON.pdf", "pdf"],
    ["lpt1.tar.zip", "_lpt1.tar.zip", "zip"],
    ["what?<>|*.docx", "what_____.docx", "docx"],
    ["README", "README", ""],
    [".pdf", "pdf", ""],
    ["Report v1.2 final", "Report v1.2 final", ""],
    ["", "file", ""],
    ["\u202e.pdf", "pdf", ""],
    ["Åsa–Öberg.pdf", "Åsa–Öberg.pdf", "pdf"],
  ])("%j → %j (.%s)", (raw, name, extension) => {
    expect(sanitizeFileName(raw)).toEqual({ name, extension });
  });

  it("normalises to NFC, so the same name is stored the same way from every OS", () => {
    expect(sanitizeFileName("A\u030asa.pdf").name).toBe("\u00c5sa.pdf");
  });

  it("keeps the extension when it shortens a long name, counting characters, not bytes", () => {
    const { name, extension } = sanitizeFileName(`${"ö".repeat(500)}.xlsx`);
    expect(extension).toBe("xlsx");
    expect(Array.from(name)).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith("ö.xlsx")).toBe(true);
  });
});

describe("contentDisposition", () => {
  it("sends an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition('Åsa "x";%.pdf')).toBe(`attachment; filename="_sa _x___.pdf"; filename*=UTF-8''%C3%85sa%20%22x%22%3B%25.pdf`);
    expect(contentDisposition("it's (1).pdf")).toBe(`attachment; filename="it's (1).pdf"; filename*=UTF-8''it%27s%20%281%29.pdf`);
  });
});
