"use client";

import { useState } from "react";
import { History } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { TAnswerRevision } from "@/lib/answers/list-answer-history";
import { formatDateTime } from "@/lib/format";

/** Who saved which version of an answer, and when: loaded when asked for. */
export function AnswerHistory({ url, describe }: { url: string; describe: (value: unknown) => string }) {
  const [state, setState] = useState<{ kind: "closed" } | { kind: "loading" } | { kind: "error"; message: string } | { kind: "open"; items: TAnswerRevision[] }>({
    kind: "closed",
  });

  async function toggle() {
    if (state.kind === "open") return setState({ kind: "closed" });
    setState({ kind: "loading" });
    try {
      const res = await fetch(url, { credentials: "same-origin" });
      const json = (await res.json()) as { data?: TAnswerRevision[]; error?: { message: string } };
      setState(json.data ? { kind: "open", items: json.data } : { kind: "error", message: json.error?.message ?? "The history could not be loaded." });
    } catch {
      setState({ kind: "error", message: "The history could not be loaded; check your connection." });
    }
  }

  return (
    <div className="mt-1">
      <Button variant="ghost" size="sm" className="-ml-3 text-muted-foreground" aria-expanded={state.kind === "open"} onClick={() => void toggle()}>
        <History aria-hidden className="size-4" />
        {state.kind === "loading" ? "Loading history…" : state.kind === "open" ? "Hide history" : "History"}
      </Button>
      {state.kind === "error" && <p className="text-sm text-destructive">{state.message}</p>}
      {state.kind === "open" &&
        (state.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">Never saved.</p>
        ) : (
          <ol className="mt-1 space-y-2 border-l-2 border-border pl-3 text-sm" aria-label="Saved versions, newest first">
            {state.items.map((r) => (
              <li key={r.revision}>
                <p className="text-xs text-muted-foreground">
                  Version {r.revision} · {r.by} · {formatDateTime(r.at)}
                </p>
                <p className="whitespace-pre-wrap break-words">{describe(r.value)}</p>
                {r.note && <p className="whitespace-pre-wrap break-words text-muted-foreground">Note: {r.note}</p>}
              </li>
            ))}
          </ol>
        ))}
    </div>
  );
}
