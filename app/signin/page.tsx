import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInButton } from "@/components/auth/sign-in-button";
import { DemoBanner } from "@/components/layout/demo-banner";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/current-user";
import { OIDC_PROVIDER_ID } from "@/lib/auth/options";
import { safeCallbackPath } from "@/lib/auth/safe-callback-url";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

// next-auth's error codes, in words a user can act on.
const ERRORS: Record<string, string> = {
  OAuthSignin: "The identity provider could not be reached. Try again, or ask your administrator.",
  OAuthCallback: "The sign-in did not complete. Try again.",
  AccessDenied: "Your identity provider did not let you in.",
  SessionRequired: "Sign in to continue.",
  Callback: "The sign-in did not complete. Try again.",
  Default: "Signing in failed. Try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const env = getEnv();
  const error = typeof params.error === "string" ? (ERRORS[params.error] ?? ERRORS.Default) : null;

  return (
    <div className="flex min-h-screen flex-col">
      {env.ASSAY_DEMO && <DemoBanner />}
      <main className="flex flex-1 items-center justify-center p-6">
        <Card className="w-full max-w-sm">
          <CardHeader>
            <h1 className="text-2xl font-bold tracking-tight">
              Assay <span className="sr-only">sign in</span>
            </h1>
            <CardDescription>Due diligence of the providers you trust with your data.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            {params.signedOut && <Alert tone="success">You are signed out.</Alert>}
            {error && <Alert tone="error">{error}</Alert>}
            <SignInButton providerId={OIDC_PROVIDER_ID} providerName={env.ASSAY_DEMO ? "the demo identity provider" : env.OIDC_DISPLAY_NAME} callbackUrl={callbackUrl} />
            {env.ASSAY_DEMO && (
              <p className="text-sm text-muted-foreground">
                The demo identity provider lists its users (officers, a reviewer, an administrator) on the next page; any password works.
              </p>
            )}
          </CardContent>
        </Card>
      </main>
    </div>
  );
}
