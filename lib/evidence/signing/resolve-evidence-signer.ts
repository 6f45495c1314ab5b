import "server-only";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { createDevSigner } from "./create-dev-signer";
import { loadP12Signer } from "./load-p12-signer";
import type { TSigner } from "./signer";

/**
 * The signer for issuing evidence packages: the deployment's PKCS#12 when one is configured;
 * otherwise, outside production, the generated development certificate under
 * `<dataDir>/signing/`. In production without a certificate, issuing is refused with what to set
 * (a package signed by a throwaway certificate would look official and prove nothing).
 *
 * Takes the settings as arguments (the caller reads them from lib/env.ts), so that the rule is
 * in one place and testable without an environment.
 */
export async function resolveEvidenceSigner(options: {
  production: boolean;
  p12Path?: string;
  p12Passphrase?: string;
  dataDir: string;
}): Promise<TSigner> {
  if (options.p12Path) return loadP12Signer({ path: options.p12Path, passphrase: options.p12Passphrase ?? "" });
  if (options.production) {
    throw new AppError(
      "UNAVAILABLE",
      "Evidence packages cannot be issued: no signing certificate is configured. Set SIGNING_P12_PATH to the deployment's " +
        "PKCS#12 file (.p12/.pfx) and SIGNING_P12_PASSPHRASE to its passphrase.",
    );
  }
  return createDevSigner({ dir: path.join(options.dataDir, "signing") });
}
