"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function ShareLinkError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <Alert tone="error">This page could not be shown. Try again in a moment.{error.digest ? ` (ref ${error.digest})` : ""}</Alert>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
