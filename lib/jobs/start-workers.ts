import "server-only";
import { issueEvidencePackage } from "@/lib/evidence/issue-evidence-package";
import { log } from "@/lib/log";
import { getBoss, QUEUES } from "./boss";

/**
 * Starts this process's workers: called once when the server starts (instrumentation.ts), and
 * by tests and scripts that need jobs to run. One package at a time per process: rendering is
 * CPU-bound and memory is bounded per package, not per server.
 */
export async function startWorkers(): Promise<void> {
  const boss = await getBoss();
  await boss.work<{ packageId: string }>(QUEUES.evidencePackage, { localConcurrency: 1 }, async ([job]) => {
    if (!job) return;
    const outcome = await issueEvidencePackage({ packageId: job.data.packageId, signal: job.signal });
    log.info("jobs.evidence_package", { packageId: job.data.packageId, outcome });
  });
}

/** startWorkers for the server's start: failures are logged, never thrown at the server. */
export function startWorkersInBackground(): void {
  startWorkers().catch((e: unknown) => log.error("jobs.start_failed", { error: e instanceof Error ? e.message : String(e) }));
}
