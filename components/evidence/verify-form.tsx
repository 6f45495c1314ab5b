"use client";

import { useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { formatBytes } from "@/lib/attachments/file-types";
import type { TUploadedPackageVerification } from "@/lib/evidence/verify-uploaded-package";
import { cn } from "@/lib/utils";
import { VerifyResult } from "./verify-result";

type TPhase =
  | { kind: "idle" }
  | { kind: "uploading"; percent: number }
  | { kind: "verifying" }
  | { kind: "done"; result: TUploadedPackageVerification }
  | { kind: "error"; message: string };

/**
 * Choose (or drop) a package PDF; it is uploaded with a progress bar (XMLHttpRequest's upload
 * events; fetch has none), verified on the server, and the verdict is shown below.
 */
export function VerifyForm({ maxBytes, uploadUrl = "/api/verify" }: { maxBytes: number; uploadUrl?: string }) {
  const uid = useId();
  const ids = { file: `${uid}-file`, help: `${uid}-help`, status: `${uid}-status` };
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<TPhase>({ kind: "idle" });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const busy = phase.kind === "uploading" || phase.kind === "verifying";

  function choose(f: File | null) {
    setFile(f);
    setPhase({ kind: "idle" });
  }

  function verify(event: React.FormEvent) {
    event.preventDefault();
    if (!file) return setPhase({ kind: "error", message: "Choose the package's PDF file first." });
    if (file.size === 0) return setPhase({ kind: "error", message: `${file.name} is empty (0 bytes).` });
    if (file.size > maxBytes) return setPhase({ kind: "error", message: `${file.name} is ${formatBytes(file.size)}; this page checks packages of up to ${formatBytes(maxBytes)}. Use npm run evidence:verify for larger files.` });

    const form = new FormData();
    form.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", uploadUrl);
    xhr.responseType = "text";
    setPhase({ kind: "uploading", percent: 0 });
    xhr.upload.onprogress = (e) => e.lengthComputable && setPhase({ kind: "uploading", percent: (e.loaded / e.total) * 100 });
    xhr.upload.onload = () => setPhase({ kind: "verifying" });
    xhr.onload = () => {
      const body = parseJson(xhr.responseText) as { data?: TUploadedPackageVerification; error?: { message?: string } } | null;
      if (xhr.status === 200 && body?.data) return setPhase({ kind: "done", result: body.data });
      if (xhr.status === 401) return setPhase({ kind: "error", message: "Your session has ended. Sign in again, then verify the file." });
      setPhase({ kind: "error", message: body?.error?.message ?? `The file could not be verified (HTTP ${xhr.status}). Try again.` });
    };
    xhr.onerror = () => setPhase({ kind: "error", message: "The upload was interrupted: the connection to Assay was lost. Try again." });
    xhr.send(form);
  }

  return (
    <div className="space-y-6">
      <form onSubmit={verify} noValidate className="space-y-3" aria-describedby={ids.help}>
        <div
          onDragOver={(e) => {
            e.preventDefault();
            if (!busy) setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            if (busy || !e.dataTransfer.files[0]) return;
            // The input shows what will be sent, whichever way it was chosen.
            if (input.current) input.current.files = e.dataTransfer.files;
            choose(e.dataTransfer.files[0]);
          }}
          className={cn(
            "flex flex-col items-center gap-3 rounded-lg border-2 border-dashed border-border bg-card px-4 py-8 text-center",
            dragging && "border-primary bg-primary/5",
          )}
          data-testid="verify-drop-zone"
        >
          <p className="font-medium">Drop the package&apos;s PDF here</p>
          <p className="text-sm text-muted-foreground">or</p>
          <label htmlFor={ids.file} className="sr-only">
            Evidence package (PDF)
          </label>
          <input
            ref={input}
            id={ids.file}
            type="file"
            accept="application/pdf,.pdf"
            disabled={busy}
            onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)}
            className="max-w-full text-sm file:mr-3 file:rounded-md file:border file:border-border file:bg-secondary file:px-3 file:py-1.5 file:text-sm file:font-medium"
          />
          {file && (
            <p className="break-all text-sm" data-testid="verify-chosen">
              {file.name} · {formatBytes(file.size)}
            </p>
          )}
          <p id={ids.help} className="text-xs text-muted-foreground">
            Up to {formatBytes(maxBytes)}. The file is checked on the server and deleted right after; nothing is kept.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={busy || !file}>
            {phase.kind === "uploading" ? "Uploading…" : phase.kind === "verifying" ? "Verifying…" : "Verify"}
          </Button>
          {phase.kind === "done" && (
            <Button
              variant="secondary"
              onClick={() => {
                choose(null);
                if (input.current) input.current.value = "";
              }}
            >
              Verify another file
            </Button>
          )}
        </div>
        <div id={ids.status} aria-live="polite" className="space-y-2">
          {phase.kind === "uploading" && (
            <>
              <p className="text-sm">Uploading… {Math.floor(phase.percent)}%</p>
              <Progress value={phase.percent} label="Upload progress" />
            </>
          )}
          {phase.kind === "verifying" && <p className="text-sm">Verifying the signature and every attachment…</p>}
        </div>
        {phase.kind === "error" && <Alert tone="error">{phase.message}</Alert>}
      </form>
      {phase.kind === "done" && <VerifyResult result={phase.result} />}
    </div>
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
