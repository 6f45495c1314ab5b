"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function InviteLinkError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <Alert tone="error">
        This page could not be shown. Answers you saved are not lost.{error.digest ? ` (ref ${error.digest})` : ""}
      </Alert>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
