import { EnvError, getEnv } from "@/lib/env";

// A server started without scripts/start.ts (e.g. `next start` in a container) still refuses
// an insecure or incomplete configuration, naming what to set.
try {
  getEnv();
} catch (e) {
  if (e instanceof EnvError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
