"use client";

import { useId, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { fieldClass } from "@/components/ui/input";
import { cn } from "@/lib/utils";

/**
 * A freshly made secret link, shown once (Assay keeps only its fingerprint): the link in a
 * read-only field, a Copy button that falls back to selecting the text when there is no
 * clipboard, and `children` saying what the link is for and until when. Invite links and
 * package share links both use it.
 */
export function OneTimeLink({ title, fieldLabel, url, onDone, className, children }: { title: string; fieldLabel: string; url: string; onDone: () => void; className?: string; children: ReactNode }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "manual" | null>(null);
  const id = useId();

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("yes");
    } catch {
      // No clipboard (plain http, or refused): select the text for Ctrl+C.
      inputRef.current?.select();
      setCopied("manual");
    }
  }

  return (
    <div className={cn("space-y-3 rounded-md border border-green-300 bg-green-50 p-4 text-green-950", className)} role="region" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="font-medium">
        {title}
      </p>
      <div className="flex gap-2">
        <label htmlFor={`${id}-url`} className="sr-only">
          {fieldLabel}
        </label>
        <input id={`${id}-url`} ref={inputRef} readOnly value={url} onFocus={(e) => e.currentTarget.select()} className={cn(fieldClass, "h-9 font-mono text-xs")} />
        <Button size="sm" className="h-9" onClick={() => void copy()}>
          Copy
        </Button>
      </div>
      <p aria-live="polite" className="min-h-5">
        {copied === "yes" ? "Copied to the clipboard." : copied === "manual" ? "Selected: press Ctrl+C (⌘C) to copy." : ""}
      </p>
      {children}
      <Button size="sm" variant="secondary" onClick={onDone}>
        Done
      </Button>
    </div>
  );
}
