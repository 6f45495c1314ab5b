// Runs once when the Next.js server starts.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./lib/check-env-at-boot");
    // Background jobs (evidence packages) run in every server process. Not awaited for the
    // server's sake: a database that is not up yet must not stop the start; the worker
    // reports and the next start tries again.
    const { startWorkersInBackground } = await import("./lib/jobs/start-workers");
    startWorkersInBackground();
  }
}
