// Runs once when the Next.js server starts. A server started without scripts/start.ts (e.g.
// `next start` in a container) still refuses an insecure or incomplete configuration.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getEnv, EnvError } = await import("@/lib/env");
  try {
    getEnv();
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
