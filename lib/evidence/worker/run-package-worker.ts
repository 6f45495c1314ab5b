import "server-only";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { packageWorkerMessage, type TPackageWorkerJob, type TPackageWorkerProgress, type TPackageWorkerResult } from "./protocol";

/** The worker's bundle, relative to the project root: built with the app (scripts/lib/build-bundles.ts). */
export const PACKAGE_WORKER_BUNDLE = path.join(".next", "assay", "package-worker.mjs");
const PACKAGE_WORKER_SOURCE = path.join("lib", "evidence", "worker", "package-worker.ts");

/** What the worker inherits of the server's environment: no secrets (those come with the job). */
const INHERITED_ENV = ["PATH", "NODE_ENV", "TZ", "LANG", "LC_ALL", "TMPDIR"] as const;

/**
 * react-server: the condition under which `server-only` imports nothing. A young generation of
 * 1 MB (V8's default is 16–32): the worker's garbage is mostly short-lived (text layout, the
 * attachments' slices and their buffers), and frequent small scavenges lowered its peak by a
 * quarter in bench:package (238 → 175 MB with 30 MB of attachments) at no measurable cost in time.
 */
const NODE_FLAGS = ["--conditions=react-server", "--max-semi-space-size=1"];

/**
 * The Node arguments that start the worker: its bundle in production (built with the app; plain
 * Node, nothing compiled at run time), its source through tsx in development and the tests.
 */
export function packageWorkerArgs(): string[] {
  const root = process.cwd();
  if (process.env.NODE_ENV === "production") {
    const bundle = path.join(root, PACKAGE_WORKER_BUNDLE);
    if (!existsSync(bundle)) throw new Error(`the package worker is not built (${bundle} is missing): run \`npm run build\`, or \`npm start\`, which builds it`);
    return [...NODE_FLAGS, bundle];
  }
  return [...NODE_FLAGS, "--import", "tsx", path.join(root, PACKAGE_WORKER_SOURCE)];
}

/**
 * Renders and signs one evidence package in a child process of its own (package-worker.ts) and
 * resolves with its outcome once the worker has exited. Progress arrives as it happens. A
 * failure the person can act on comes back as the AppError the worker raised; anything else
 * (a bug, a crash, the worker killed) as an Error saying what happened. Aborting `signal` stops
 * the worker.
 */
export function runPackageWorker(
  job: TPackageWorkerJob,
  options: { onProgress?: (p: TPackageWorkerProgress) => void; signal?: AbortSignal } = {},
): Promise<TPackageWorkerResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new Error("the package worker was not started: the job was cancelled"));
      return;
    }
    const env: Record<string, string> = {};
    for (const name of INHERITED_ENV) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    const child = spawn(process.execPath, packageWorkerArgs(), { cwd: process.cwd(), env: env as NodeJS.ProcessEnv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let outcome: TPackageWorkerResult | Error | undefined;
    child.on("message", (raw: unknown) => {
      const parsed = packageWorkerMessage.safeParse(raw);
      if (!parsed.success) {
        outcome ??= new Error(`the package worker sent a message that is not one of its own: ${parsed.error.issues[0]?.message ?? "unreadable"}`);
        child.kill();
        return;
      }
      const message = parsed.data;
      if (message.type === "progress") options.onProgress?.(message);
      else if (message.type === "done") outcome ??= message;
      else outcome ??= message.appErrorCode ? new AppError(message.appErrorCode, message.message) : new Error(message.message);
    });
    child.on("error", (e) => {
      outcome ??= new Error(`the package worker could not be started: ${e.message}`);
    });
    // The job was cancelled (pg-boss: it expired, its claim was lost, or the server is stopping).
    const abort = () => {
      outcome ??= new Error("the job was cancelled (the server stopped, or the job ran out of time) and its package worker stopped");
      child.kill();
    };
    options.signal?.addEventListener("abort", abort, { once: true });
    child.on("close", (code, signal) => {
      options.signal?.removeEventListener("abort", abort);
      if (outcome instanceof Error) reject(outcome);
      else if (outcome) resolve(outcome);
      else reject(new Error(signal ? `the package worker was stopped (${signal})` : `the package worker stopped without finishing (exit code ${code})`));
    });
    child.send(job, (e) => {
      if (!e) return;
      outcome ??= new Error(`the package worker did not take the job: ${e.message}`);
      child.kill();
    });
  });
}
