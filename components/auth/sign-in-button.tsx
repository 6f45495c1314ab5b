"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

export function SignInButton({ providerId, providerName, callbackUrl }: { providerId: string; providerName: string; callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      size="lg"
      className="w-full"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn(providerId, { callbackUrl });
      }}
    >
      {pending ? "Redirecting…" : `Sign in with ${providerName}`}
    </Button>
  );
}

export function SignOutButton() {
  return (
    <Button variant="ghost" size="sm" onClick={() => void signOut()}>
      Sign out
    </Button>
  );
}

async function signOut() {
  const { signOut } = await import("next-auth/react");
  await signOut({ callbackUrl: "/signin?signedOut=1" });
}
