"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { fieldClass, FieldError, Input, Label } from "@/components/ui/input";
import { Progress } from "@/components/ui/progress";
import { fileStatus, todayUtc } from "@/lib/attachments/evidence-status";
import { ACCEPT_ATTRIBUTE, ALLOWED_EXTENSIONS_TEXT, allowedTypeOf, ALLOWED_TYPES, formatBytes } from "@/lib/attachments/file-types";
import { DEFAULT_ATTACHMENT_MAX_BYTES } from "@/lib/attachments/limits";
import { UPLOAD_FILE_FIELD, ZUploadFields } from "@/lib/attachments/schemas";
import type { TAttachmentErrorBody, TAttachmentView } from "@/lib/attachments/types";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";

export interface AttachmentUploaderProps {
  /**
   * Where files are uploaded (POST, multipart): "/api/audits/<auditId>/attachments" for
   * officers, "/api/r/<token>/attachments" for providers.
   */
  uploadUrl: string;
  /**
   * A file's URL is `${fileBaseUrl}/${id}` (GET downloads, DELETE removes): "/api/attachments"
   * for officers, "/api/r/<token>/attachments" for providers.
   */
  fileBaseUrl: string;
  /** What the files are attached to. */
  target: { questionId: string } | { evidenceItemId: string };
  /** The files already attached to this target, as the server page loaded them. */
  initialAttachments: TAttachmentView[];
  /** Ask for certificate details (issuer, scope, valid until): for certificate evidence. */
  withCertificateFields?: boolean;
  /** The server's per-file limit, to refuse an oversize file before sending it. */
  maxFileBytes?: number;
  /** False: list and download only (reviewers, a submitted invite). */
  canUpload?: boolean;
  /** What the file input is for, e.g. the question or evidence item; read by screen readers. */
  label?: string;
}

type TFieldErrors = Partial<Record<"file" | "certificateIssuer" | "certificateScope" | "certificateExpiresOn", string>>;

/**
 * A file input with optional certificate fields, uploading with a progress bar
 * (XMLHttpRequest's upload events; fetch has none), and the list of files already attached,
 * each with a download link and — for its uploader — a remove button. The same component
 * serves officers and providers: only the URLs differ.
 */
export function AttachmentUploader({
  uploadUrl,
  fileBaseUrl,
  target,
  initialAttachments,
  withCertificateFields = false,
  maxFileBytes = DEFAULT_ATTACHMENT_MAX_BYTES,
  canUpload = true,
  label = "File",
}: AttachmentUploaderProps) {
  const router = useRouter();
  const uid = useId();
  const ids = { file: `${uid}-file`, help: `${uid}-help`, issuer: `${uid}-issuer`, scope: `${uid}-scope`, expires: `${uid}-expires`, list: `${uid}-list` };
  const [attachments, setAttachments] = useState(initialAttachments);
  const [file, setFile] = useState<File | null>(null);
  const [certificate, setCertificate] = useState({ certificateIssuer: "", certificateScope: "", certificateExpiresOn: "" });
  const [errors, setErrors] = useState<TFieldErrors>({});
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const today = todayUtc();

  function checkFile(f: File | null): string | undefined {
    if (!f) return "Choose a file.";
    const extension = f.name.includes(".") ? f.name.slice(f.name.lastIndexOf(".") + 1).toLowerCase() : "";
    if (!allowedTypeOf(extension)) return `${extension ? `.${extension} files are` : "Files without an extension are"} not accepted. Upload a ${ALLOWED_EXTENSIONS_TEXT} file.`;
    if (f.size === 0) return "This file is empty.";
    if (f.size > maxFileBytes) return `This file is ${formatBytes(f.size)}; the limit is ${formatBytes(maxFileBytes)}.`;
    return undefined;
  }

  function upload(event: React.FormEvent) {
    event.preventDefault();
    setMessage(null);
    // The shared schema checks the fields as the server will; the server checks again (and the bytes).
    const parsed = ZUploadFields.safeParse({ ...target, ...(withCertificateFields ? certificate : {}) });
    const next: TFieldErrors = {};
    const fileProblem = checkFile(file);
    if (fileProblem) next.file = fileProblem;
    if (!parsed.success) for (const issue of parsed.error.issues) next[String(issue.path[0]) as keyof TFieldErrors] ??= issue.message;
    setErrors(next);
    if (Object.keys(next).length > 0 || !file || !parsed.success) return;

    // Fields first, the file last: the server refuses fields that come after the file.
    const form = new FormData();
    for (const [name, value] of Object.entries(parsed.data)) if (value !== undefined) form.append(name, value);
    form.append(UPLOAD_FILE_FIELD, file, file.name);

    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", uploadUrl);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress((e.loaded / e.total) * 100);
    xhr.onload = () => {
      xhrRef.current = null;
      setProgress(null);
      const body = parseJson(xhr.responseText) as ({ data?: TAttachmentView } & Partial<TAttachmentErrorBody>) | null;
      if (xhr.status === 201 && body?.data) {
        setAttachments((list) => [...list, body.data!]);
        setFile(null);
        setCertificate({ certificateIssuer: "", certificateScope: "", certificateExpiresOn: "" });
        if (fileInput.current) fileInput.current.value = "";
        setMessage({ tone: "success", text: `${body.data.fileName} was uploaded.` });
        router.refresh();
        return;
      }
      showError(body, xhr.status);
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      setProgress(null);
      setMessage({ tone: "error", text: "The upload did not reach the server. Check your connection and try again." });
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setProgress(null);
      setMessage({ tone: "error", text: "Upload cancelled. Nothing was stored." });
    };
    setProgress(0);
    xhr.send(form);
  }

  function showError(body: Partial<TAttachmentErrorBody> | null, status: number) {
    const error = body?.error;
    if (!error) {
      setMessage({ tone: "error", text: status === 413 ? "The file is too large." : `The upload failed (HTTP ${status}). Nothing was stored.` });
      return;
    }
    const fieldErrors: TFieldErrors = {};
    for (const [name, text] of Object.entries(error.fieldErrors ?? {})) if (name in { file: 1, certificateIssuer: 1, certificateScope: 1, certificateExpiresOn: 1 }) fieldErrors[name as keyof TFieldErrors] = text;
    // The message says the whole story (e.g. which file and why); the field error marks the field.
    if (error.field === "file") fieldErrors.file = error.message;
    setErrors(fieldErrors);
    if (Object.keys(fieldErrors).length === 0) setMessage({ tone: "error", text: error.message });
  }

  async function remove(attachment: TAttachmentView) {
    if (!window.confirm(`Remove ${attachment.fileName}?`)) return;
    setRemoving(attachment.id);
    setMessage(null);
    try {
      const res = await fetch(`${fileBaseUrl}/${attachment.id}`, { method: "DELETE" });
      if (res.ok) {
        setAttachments((list) => list.filter((a) => a.id !== attachment.id));
        setMessage({ tone: "success", text: `${attachment.fileName} was removed.` });
        router.refresh();
      } else {
        const body = parseJson(await res.text()) as Partial<TAttachmentErrorBody> | null;
        setMessage({ tone: "error", text: body?.error?.message ?? `The file could not be removed (HTTP ${res.status}).` });
      }
    } catch {
      setMessage({ tone: "error", text: "The server could not be reached; the file was not removed." });
    } finally {
      setRemoving(null);
    }
  }

  const uploading = progress !== null;

  return (
    <div className="space-y-3">
      {attachments.length > 0 ? (
        <ul id={ids.list} aria-label={`Files: ${label}`} className="divide-y divide-border rounded-md border border-border">
          {attachments.map((a) => {
            const status = a.certificate?.expiresOn ? fileStatus(a, today) : null;
            return (
              <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
                <div className="min-w-0 space-y-0.5">
                  <a href={`${fileBaseUrl}/${a.id}`} download={a.fileName} className="break-all font-medium text-primary underline-offset-4 hover:underline">
                    {a.fileName}
                  </a>
                  <p className="text-muted-foreground">
                    {typeLabel(a.contentType)}, {formatBytes(a.size)} · {a.uploadedBy ?? "unknown"}
                    {a.uploadedByProvider ? " (provider)" : ""}, {formatDateTime(a.createdAt)}
                  </p>
                  {a.certificate && (
                    <p className="text-muted-foreground">
                      {[a.certificate.issuer && `Issued by ${a.certificate.issuer}`, a.certificate.scope && `scope: ${a.certificate.scope}`, a.certificate.expiresOn && `valid until ${a.certificate.expiresOn}`]
                        .filter(Boolean)
                        .join("; ")}
                      {status === "expired" && (
                        <Badge variant="destructive" className="ml-2">
                          Expired
                        </Badge>
                      )}
                      {status === "expiring" && (
                        <Badge variant="warning" className="ml-2">
                          Expires soon
                        </Badge>
                      )}
                    </p>
                  )}
                </div>
                {a.canDelete && canUpload && (
                  <Button variant="ghost" size="sm" onClick={() => void remove(a)} disabled={removing === a.id} aria-label={`Remove ${a.fileName}`}>
                    {removing === a.id ? "Removing…" : "Remove"}
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="text-sm text-muted-foreground">No files yet.</p>
      )}

      {message && <Alert tone={message.tone}>{message.text}</Alert>}

      {canUpload && (
        <form onSubmit={upload} noValidate className="space-y-3 rounded-md border border-dashed border-border p-3">
          <div className="space-y-1.5">
            <Label htmlFor={ids.file}>Add a file: {label}</Label>
            {/* A plain input: the file input is reset through its ref after an upload. */}
            <input
              ref={fileInput}
              id={ids.file}
              type="file"
              accept={ACCEPT_ATTRIBUTE}
              disabled={uploading}
              aria-invalid={!!errors.file}
              aria-describedby={`${ids.help} ${ids.file}-error`}
              className={cn(fieldClass, "h-auto py-1.5")}
              onChange={(e) => {
                const f = e.target.files?.[0] ?? null;
                setFile(f);
                setErrors((x) => ({ ...x, file: f ? checkFile(f) : undefined }));
              }}
            />
            <p id={ids.help} className="text-xs text-muted-foreground">
              {ALLOWED_EXTENSIONS_TEXT}, up to {formatBytes(maxFileBytes)}.
            </p>
            <FieldError id={`${ids.file}-error`} message={errors.file} />
          </div>

          {withCertificateFields && (
            <fieldset className="grid gap-3 sm:grid-cols-3" disabled={uploading}>
              <legend className="mb-1 text-sm font-medium">Certificate details (optional)</legend>
              <div className="space-y-1.5">
                <Label htmlFor={ids.issuer}>Issued by</Label>
                <Input
                  id={ids.issuer}
                  value={certificate.certificateIssuer}
                  maxLength={200}
                  aria-invalid={!!errors.certificateIssuer}
                  aria-describedby={`${ids.issuer}-error`}
                  onChange={(e) => setCertificate((c) => ({ ...c, certificateIssuer: e.target.value }))}
                />
                <FieldError id={`${ids.issuer}-error`} message={errors.certificateIssuer} />
              </div>
              <div className="space-y-1.5">
                <Label htmlFor={ids.scope}>Scope</Label>
                <Input
                  id={ids.scope}
                  value={certificate.certificateScope}
                  maxLength={500}
                  aria-invalid={!!errors.certificateScope}
                  aria-describedby={`${ids.scope}-error`}
                  onChange={(e) => setCertificate((c) => ({ ...c, certificateScope: e.target.value }))}
                />
                <FieldError id={`${ids.scope}-error`} message={errors.certificateScope} />
              </div>
              <div className="space-y-1.5">
                <Label htmlFor={ids.expires}>Valid until</Label>
                <Input
                  id={ids.expires}
                  type="date"
                  value={certificate.certificateExpiresOn}
                  aria-invalid={!!errors.certificateExpiresOn}
                  aria-describedby={`${ids.expires}-error`}
                  onChange={(e) => setCertificate((c) => ({ ...c, certificateExpiresOn: e.target.value }))}
                />
                <FieldError id={`${ids.expires}-error`} message={errors.certificateExpiresOn} />
              </div>
            </fieldset>
          )}

          {uploading ? (
            <div className="space-y-2" aria-live="polite">
              <Progress value={progress ?? 0} label={`Uploading ${file?.name ?? "file"}`} />
              <div className="flex items-center justify-between text-sm text-muted-foreground">
                <span>{(progress ?? 0) < 100 ? `Uploading… ${Math.floor(progress ?? 0)}%` : "Checking and saving…"}</span>
                <Button variant="secondary" size="sm" onClick={() => xhrRef.current?.abort()}>
                  Cancel
                </Button>
              </div>
            </div>
          ) : (
            <Button type="submit" size="sm" variant="secondary">
              Upload
            </Button>
          )}
        </form>
      )}
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

function typeLabel(contentType: string): string {
  return Object.values(ALLOWED_TYPES).find((t) => t.mime === contentType)?.label ?? contentType;
}
