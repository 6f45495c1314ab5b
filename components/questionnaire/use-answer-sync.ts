"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { TSavedAnswer } from "@/lib/answers/save-answer";
import { answerValueSchema } from "@/lib/questionnaires/answer-value";
import { fromRaw, toRaw, type TRawValue } from "@/lib/questionnaires/raw-value";
import type { TQuestion } from "@/lib/questionnaires/schema";

// Autosave for questionnaire answers, shared by officers and providers.
//
// - A change is saved shortly after the last keystroke (TEXT_DELAY_MS) or choice
//   (CHOICE_DELAY_MS), or at once on blur / Save / Ctrl+Enter.
// - Saves go one at a time, in the order they were made: a parent's answer reaches the server
//   before the follow-up it reveals.
// - Edits not yet acknowledged are kept in localStorage: a reload or a crash loses nothing; on
//   the next load they are saved, or shown as a conflict if someone changed the answer meanwhile.
// - When the network or the server fails, the save is retried with exponential backoff
//   (1 s … 30 s) and at once when the browser comes back online.

export const TEXT_DELAY_MS = 800;
export const CHOICE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 30_000;

export interface TEntry {
  /** The answer as the server last confirmed it; null if never answered. */
  saved: TSavedAnswer | null;
  raw: TRawValue;
  note: string;
  status: "idle" | "dirty" | "saving" | "saved" | "error" | "offline" | "conflict";
  error?: string;
  /** The answer someone else saved meanwhile (null: they cleared it). */
  conflict?: TSavedAnswer | null;
}

export type TSaveResult =
  | { kind: "saved"; answer: TSavedAnswer }
  | { kind: "conflict"; current: TSavedAnswer | null }
  /** Refused as it is (bad value, no access, link revoked…): retrying the same would not help. */
  | { kind: "refused"; message: string }
  /** The network or the server failed; nothing was written. */
  | { kind: "retry"; message: string };

/** PUTs one answer and reads the JSON envelope of lib/http/json-route.ts. */
export async function putAnswer(url: string, body: { value: unknown; note?: string | null; baseRevision: number }): Promise<TSaveResult> {
  let res: Response;
  try {
    res = await fetch(url, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
  } catch {
    return { kind: "retry", message: "offline" };
  }
  const json = (await res.json().catch(() => null)) as {
    data?: TSavedAnswer;
    error?: { code: string; message: string; fieldErrors?: Record<string, string>; details?: { current?: TSavedAnswer | null } };
  } | null;
  if (res.ok && json?.data) return { kind: "saved", answer: json.data };
  if (res.status === 409) return { kind: "conflict", current: json?.error?.details?.current ?? null };
  if (res.status >= 500 || res.status === 429 || !json?.error) return { kind: "retry", message: json?.error?.message ?? `server error ${res.status}` };
  const fe = json.error.fieldErrors;
  return { kind: "refused", message: fe?.value ?? fe?.note ?? fe?.questionId ?? json.error.message };
}

function entryFrom(question: TQuestion, saved: TSavedAnswer | null): TEntry {
  return { saved, raw: toRaw(question, saved?.value), note: saved?.note ?? "", status: "idle" };
}

/** The server's current answer is the value sent (and the note, unless `note` is undefined: not compared). */
function sameAsSent(current: TSavedAnswer | null, questionId: string, value: unknown, note: string | null | undefined): boolean {
  if (!current || current.questionId !== questionId) return false;
  return JSON.stringify(current.value ?? null) === JSON.stringify(value ?? null) && (note === undefined || (current.note ?? null) === note);
}

function isDirty(question: TQuestion, e: TEntry, includeNote: boolean): boolean {
  const value = fromRaw(question, e.raw);
  return JSON.stringify(value) !== JSON.stringify(e.saved?.value ?? null) || (includeNote && e.note.trim() !== (e.saved?.note ?? ""));
}

interface TPending {
  raw: TRawValue;
  note: string;
  baseRevision: number;
}

interface Options {
  questions: Map<string, TQuestion>;
  initial: Record<string, TSavedAnswer>;
  /** Where one answer is PUT. */
  saveUrl: (questionId: string) => string;
  /** localStorage key for edits not yet acknowledged (one per audit and person). */
  storageKey: string;
  canEdit: boolean;
  /** Officers save an interview note with the answer; providers never see it. */
  includeNote: boolean;
}

export function useAnswerSync({ questions, initial, saveUrl, storageKey, canEdit, includeNote }: Options) {
  const [entries, setEntries] = useState<Record<string, TEntry>>(() =>
    Object.fromEntries([...questions.values()].map((q) => [q.id, entryFrom(q, initial[q.id] ?? null)])),
  );
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  /** Mounted, and the edits a previous page left in storage are picked up (tests wait for it). */
  const [ready, setReady] = useState(false);
  // The latest entries, for async work that outlives the render it started in.
  const entriesRef = useRef(entries);
  const queue = useRef<string[]>([]);
  const running = useRef(false);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const backoff = useRef(0);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const persist = useCallback(() => {
    const pending: Record<string, TPending> = {};
    for (const [id, e] of Object.entries(entriesRef.current)) {
      if (e.status !== "idle" && e.status !== "saved" && isDirty(questions.get(id)!, e, includeNote)) {
        pending[id] = { raw: e.raw, note: e.note, baseRevision: e.saved?.revision ?? 0 };
      }
    }
    try {
      if (Object.keys(pending).length === 0) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, JSON.stringify(pending));
    } catch {
      // Private mode or a full quota: autosave still works, only the reload safety net is gone.
    }
  }, [includeNote, questions, storageKey]);

  const update = useCallback(
    (id: string, change: (e: TEntry) => TEntry) => {
      const next = { ...entriesRef.current, [id]: change(entriesRef.current[id]!) };
      entriesRef.current = next;
      setEntries(next);
      persist();
    },
    [persist],
  );

  const pump = useCallback(async () => {
    if (running.current || retryTimer.current || !canEdit) return;
    running.current = true;
    try {
      while (queue.current.length > 0) {
        const id = queue.current[0]!;
        const question = questions.get(id)!;
        const e = entriesRef.current[id]!;
        if (e.status === "conflict" || !isDirty(question, e, includeNote)) {
          queue.current.shift();
          if (e.status === "dirty" || e.status === "offline") update(id, (cur) => ({ ...cur, status: "saved" }));
          continue;
        }
        const value = fromRaw(question, e.raw);
        const check = answerValueSchema(question).safeParse(value);
        if (!check.success) {
          queue.current.shift();
          update(id, (cur) => ({ ...cur, status: "error", error: check.error.issues[0]?.message }));
          continue;
        }
        const sent = { raw: e.raw, note: e.note };
        update(id, (cur) => ({ ...cur, status: "saving", error: undefined }));
        const result = await putAnswer(saveUrl(id), {
          value: check.data,
          ...(includeNote ? { note: e.note.trim() ? e.note : null } : {}),
          baseRevision: e.saved?.revision ?? 0,
        });
        if (result.kind === "retry") {
          update(id, (cur) => ({ ...cur, status: "offline", error: result.message }));
          backoff.current = Math.min(backoff.current ? backoff.current * 2 : 1000, MAX_BACKOFF_MS);
          setRetryAt(Date.now() + backoff.current);
          retryTimer.current = setTimeout(() => {
            retryTimer.current = null;
            setRetryAt(null);
            void pump();
          }, backoff.current);
          return;
        }
        queue.current.shift();
        backoff.current = 0;
        setRetryAt(null);
        if (result.kind === "saved") {
          update(id, (cur) => {
            const unchanged = JSON.stringify(cur.raw) === JSON.stringify(sent.raw) && cur.note === sent.note;
            return { ...cur, saved: result.answer, status: unchanged ? "saved" : "dirty", error: undefined, conflict: undefined };
          });
          if (entriesRef.current[id]!.status === "dirty" && !timers.current.has(id)) queue.current.push(id);
        } else if (result.kind === "conflict" && sameAsSent(result.current, id, check.data, includeNote ? (sent.note.trim() ? sent.note : null) : undefined)) {
          // Someone (often this person in another tab, which picked up this edit from storage)
          // already saved exactly this: nothing to choose between.
          update(id, (cur) => {
            const unchanged = JSON.stringify(cur.raw) === JSON.stringify(sent.raw) && cur.note === sent.note;
            return { ...cur, saved: result.current, status: unchanged ? "saved" : "dirty", error: undefined, conflict: undefined };
          });
          if (entriesRef.current[id]!.status === "dirty" && !timers.current.has(id)) queue.current.push(id);
        } else if (result.kind === "conflict") {
          update(id, (cur) => ({ ...cur, status: "conflict", conflict: result.current }));
        } else {
          update(id, (cur) => ({ ...cur, status: "error", error: result.message }));
          if (/link|submitted|revoked|expired|session/i.test(result.message)) setRefused(result.message);
        }
      }
    } finally {
      running.current = false;
    }
  }, [canEdit, includeNote, questions, saveUrl, update]);

  const enqueue = useCallback(
    (id: string) => {
      clearTimeout(timers.current.get(id));
      timers.current.delete(id);
      if (!queue.current.includes(id)) queue.current.push(id);
      void pump();
    },
    [pump],
  );

  /** A local edit; saved after `delayMs` without further edits to the same question. */
  const change = useCallback(
    (id: string, patch: Partial<Pick<TEntry, "raw" | "note">>, delayMs: number) => {
      if (!canEdit) return;
      update(id, (cur) => ({ ...cur, ...patch, status: cur.status === "conflict" ? "conflict" : "dirty" }));
      clearTimeout(timers.current.get(id));
      timers.current.set(
        id,
        setTimeout(() => enqueue(id), delayMs),
      );
    },
    [canEdit, enqueue, update],
  );

  const resolveConflict = useCallback(
    (id: string, keep: "mine" | "theirs") => {
      const question = questions.get(id)!;
      const current = entriesRef.current[id]!.conflict ?? null;
      if (keep === "theirs") {
        update(id, () => ({ ...entryFrom(question, current), status: "saved" }));
      } else {
        // Mine, on top of theirs: the next save is based on their revision.
        update(id, (cur) => ({ ...cur, saved: current, conflict: undefined, status: "dirty" }));
        enqueue(id);
      }
    },
    [enqueue, questions, update],
  );

  // Edits a previous page left unsaved (reload, crash, offline close): restore and save them.
  useEffect(() => {
    setReady(true);
    if (!canEdit) return;
    let pending: Record<string, TPending> = {};
    try {
      pending = JSON.parse(localStorage.getItem(storageKey) ?? "{}") as Record<string, TPending>;
    } catch {
      return;
    }
    for (const [id, p] of Object.entries(pending)) {
      const e = entriesRef.current[id];
      if (!e || !questions.has(id)) continue;
      const serverRevision = e.saved?.revision ?? 0;
      if (serverRevision === p.baseRevision) {
        update(id, (cur) => ({ ...cur, raw: p.raw, note: p.note, status: "dirty" }));
        enqueue(id);
      } else {
        // Someone saved after this edit was made: let the person choose.
        update(id, (cur) => ({ ...cur, raw: p.raw, note: p.note, status: "conflict", conflict: cur.saved }));
      }
    }
    // Only on mount: later edits are handled as they happen.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const retryNow = () => {
      if (retryTimer.current) {
        clearTimeout(retryTimer.current);
        retryTimer.current = null;
        setRetryAt(null);
        void pump();
      }
    };
    window.addEventListener("online", retryNow);
    return () => window.removeEventListener("online", retryNow);
  }, [pump]);

  // Leaving the page (client navigation) saves what is waiting for its delay.
  useEffect(() => {
    const waiting = timers.current;
    return () => {
      for (const id of [...waiting.keys()]) enqueue(id);
    };
  }, [enqueue]);

  // Warn before closing the tab with unsaved changes (they are in localStorage too).
  useEffect(() => {
    const onBeforeUnload = (ev: BeforeUnloadEvent) => {
      if (Object.values(entriesRef.current).some((e) => e.status === "dirty" || e.status === "saving" || e.status === "offline")) ev.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, []);

  const summary = useMemo(() => {
    const list = Object.values(entries);
    return {
      unsaved: list.filter((e) => e.status === "dirty" || e.status === "offline" || e.status === "saving").length,
      saving: list.some((e) => e.status === "saving"),
      offline: retryAt !== null,
      retryAt,
      refused,
    };
  }, [entries, refused, retryAt]);

  return { entries, change, saveNow: enqueue, resolveConflict, summary, ready };
}
