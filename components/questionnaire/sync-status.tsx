"use client";

import { useEffect, useState } from "react";
import { CheckCircle2, CloudOff, Loader2 } from "lucide-react";

interface Summary {
  unsaved: number;
  saving: boolean;
  offline: boolean;
  retryAt: number | null;
  refused: string | null;
}

/** The page-wide autosave state, announced politely to screen readers. */
export function SyncStatus({ summary }: { summary: Summary }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!summary.retryAt) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [summary.retryAt]);

  let content: React.ReactNode;
  if (summary.refused) {
    content = <span className="text-destructive">{summary.refused}</span>;
  } else if (summary.offline) {
    const seconds = summary.retryAt ? Math.max(0, Math.ceil((summary.retryAt - now) / 1000)) : 0;
    content = (
      <span className="flex items-center gap-1.5 text-amber-800">
        <CloudOff aria-hidden className="size-4" /> Offline — will retry{seconds > 0 ? ` in ${seconds} s` : ""}. Your changes are kept in this browser.
      </span>
    );
  } else if (summary.saving || summary.unsaved > 0) {
    content = (
      <span className="flex items-center gap-1.5">
        <Loader2 aria-hidden className="size-4 animate-spin" /> Saving…
      </span>
    );
  } else {
    content = (
      <span className="flex items-center gap-1.5">
        <CheckCircle2 aria-hidden className="size-4 text-success" /> All changes saved
      </span>
    );
  }
  return (
    <p role="status" aria-live="polite" data-testid="sync-status" className="text-sm text-muted-foreground">
      {content}
    </p>
  );
}
