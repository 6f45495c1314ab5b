import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

// Which Chromium the e2e tests drive: PW_CHROMIUM_PATH if set, else Playwright's own browser
// when it is installed, else the system's (Debian's `chromium` package).

const SYSTEM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The executable to launch, or undefined to let Playwright use its own browser. */
export function chromiumExecutable(): string | undefined {
  if (process.env.PW_CHROMIUM_PATH) return process.env.PW_CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Playwright's browser is not installed.
  }
  return SYSTEM_PATHS.find((p) => existsSync(p));
}

function hasBrowser(): boolean {
  if (process.env.PW_CHROMIUM_PATH) return existsSync(process.env.PW_CHROMIUM_PATH);
  try {
    if (existsSync(chromium.executablePath())) return true;
  } catch {
    // fall through
  }
  return SYSTEM_PATHS.some((p) => existsSync(p));
}

/**
 * Makes sure a Chromium exists, installing Debian's package when we are root on Debian.
 * Returns an explanation when it cannot, for the test run to print.
 */
export function ensureChromium(say: (line: string) => void): { ok: true } | { ok: false; why: string } {
  if (hasBrowser()) return { ok: true };
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (isRoot && hasApt) {
    say("Chromium is missing: installing Debian's chromium package (about 1–2 minutes, once)…");
    try {
      execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
      execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], {
        stdio: "inherit",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch (e) {
      return { ok: false, why: `apt-get could not install chromium: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (hasBrowser()) return { ok: true };
  }
  return {
    ok: false,
    why:
      "No Chromium found for the browser tests. Install one of: Debian/Ubuntu `sudo apt-get install chromium`; " +
      "Playwright's own `npx playwright install chromium`; or point PW_CHROMIUM_PATH at a Chromium binary.",
  };
}
