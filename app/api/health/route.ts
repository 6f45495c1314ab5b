import { checkHealth } from "@/lib/health/check-health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Public liveness and database check; says nothing else about the deployment. */
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.db === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
