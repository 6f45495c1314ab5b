"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies `text` (a hash, a command) to the clipboard and says so; without a clipboard, says how. */
export function ShareCopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size="sm"
        variant="outline"
        aria-label={label}
        onClick={() =>
          void navigator.clipboard.writeText(text).then(
            () => setCopied("yes"),
            () => setCopied("no"),
          )
        }
      >
        Copy
      </Button>
      <span aria-live="polite" className="text-xs text-muted-foreground">
        {copied === "yes" ? "Copied." : copied === "no" ? "Select it and press Ctrl+C (⌘C)." : ""}
      </span>
    </span>
  );
}
