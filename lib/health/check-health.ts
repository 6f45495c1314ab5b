import "server-only";
import { getDb } from "@/lib/db";

/** The database answers a trivial query within two seconds. */
export async function checkHealth(): Promise<{ status: "ok" | "degraded"; db: "ok" | "down" }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      getDb().$queryRaw`SELECT 1`,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), 2000).unref())),
    ]);
    return { status: "ok", db: "ok" };
  } catch {
    return { status: "degraded", db: "down" };
  } finally {
    // Cleared at once: a pending timer would keep this request's context alive for 2 s.
    clearTimeout(timer);
  }
}
