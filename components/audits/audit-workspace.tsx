"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { SectionNav } from "@/components/audits/section-nav";
import { GuidanceText } from "@/components/questionnaire/guidance-text";
import { QuestionCard, type TEntry } from "@/components/questionnaire/question-card";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { saveAnswerAction } from "@/lib/answers/actions";
import type { TAnswerConflict, TSavedAnswer } from "@/lib/answers/save-answer";
import { answerValueSchema } from "@/lib/questionnaires/answer-value";
import { computeProgress, percent } from "@/lib/questionnaires/progress";
import { fromRaw, toRaw } from "@/lib/questionnaires/raw-value";
import { walkQuestions, type TQuestion, type TQuestionnaire } from "@/lib/questionnaires/schema";
import { computeQuestionStates, type TAnswerValue } from "@/lib/questionnaires/visibility";

interface Props {
  auditId: string;
  questionnaire: TQuestionnaire;
  scope: Record<string, boolean>;
  answers: Record<string, TSavedAnswer>;
  sectionId: string;
  canEdit: boolean;
}

/** A choice is saved this long after the last change, so arrowing through radios saves once. */
const CHOICE_SAVE_DELAY_MS = 500;

function entryFrom(question: TQuestion, saved: TSavedAnswer | null): TEntry {
  return { saved, raw: toRaw(question, saved?.value), note: saved?.note ?? "", status: "idle" };
}

function isDirty(question: TQuestion, e: TEntry): boolean {
  const value = fromRaw(question, e.raw);
  return JSON.stringify(value) !== JSON.stringify(e.saved?.value ?? null) || e.note.trim() !== (e.saved?.note ?? "");
}

/**
 * One section of an audit, answered interview-style. Each question saves on its own: choices
 * and dates at once, text when the field loses focus (or Ctrl+Enter). A save names the revision
 * it started from; if someone else saved first, the card shows both versions to choose from.
 */
export function AuditWorkspace({ auditId, questionnaire, scope, answers, sectionId, canEdit }: Props) {
  const questions = useMemo(() => new Map([...walkQuestions(questionnaire)].map((w) => [w.question.id, w.question])), [questionnaire]);
  const [entries, setEntries] = useState<Record<string, TEntry>>(() =>
    Object.fromEntries([...questions.values()].map((q) => [q.id, entryFrom(q, answers[q.id] ?? null)])),
  );
  // The latest entries, for async saves that outlive the render they started in.
  const entriesRef = useRef(entries);
  const inFlight = useRef(new Set<string>());
  const again = useRef(new Set<string>());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const update = useCallback((id: string, change: (e: TEntry) => TEntry) => {
    const next = { ...entriesRef.current, [id]: change(entriesRef.current[id]!) };
    entriesRef.current = next;
    setEntries(next);
  }, []);

  const values = useMemo(() => {
    const v: Record<string, TAnswerValue> = {};
    for (const [id, e] of Object.entries(entries)) v[id] = fromRaw(questions.get(id)!, e.raw);
    return v;
  }, [entries, questions]);
  const states = useMemo(() => computeQuestionStates(questionnaire, scope, values), [questionnaire, scope, values]);
  const progress = useMemo(() => computeProgress(questionnaire, scope, values), [questionnaire, scope, values]);

  const save = useCallback(
    async (id: string) => {
      if (!canEdit) return;
      clearTimeout(timers.current.get(id));
      timers.current.delete(id);
      if (inFlight.current.has(id)) {
        again.current.add(id);
        return;
      }
      const question = questions.get(id)!;
      const e = entriesRef.current[id]!;
      if (!isDirty(question, e)) return;
      const value = fromRaw(question, e.raw);
      const check = answerValueSchema(question).safeParse(value);
      if (!check.success) {
        update(id, (cur) => ({ ...cur, status: "error", error: check.error.issues[0]?.message }));
        return;
      }
      inFlight.current.add(id);
      update(id, (cur) => ({ ...cur, status: "saving", error: undefined }));
      const sent = { raw: e.raw, note: e.note };
      let result: Awaited<ReturnType<typeof saveAnswerAction>>;
      try {
        result = await saveAnswerAction({ auditId, questionId: id, value: check.data, note: e.note.trim() ? e.note : null, baseRevision: e.saved?.revision ?? 0 });
      } catch {
        result = { ok: false, code: "UNAVAILABLE", message: "Assay could not be reached; your answer is still here. Try saving again." };
      }
      inFlight.current.delete(id);
      if (result.ok) {
        const saved = result.data;
        update(id, (cur) => {
          const unchanged = JSON.stringify(cur.raw) === JSON.stringify(sent.raw) && cur.note === sent.note;
          return { ...cur, saved, status: unchanged ? "saved" : "dirty", error: undefined, conflict: undefined };
        });
      } else if (result.code === "CONFLICT") {
        update(id, (cur) => ({ ...cur, status: "conflict", conflict: (result.details as TAnswerConflict | undefined)?.current ?? null }));
      } else {
        update(id, (cur) => ({ ...cur, status: "error", error: result.fieldErrors?.value ?? result.fieldErrors?.note ?? result.message }));
      }
      if (again.current.delete(id)) void save(id);
    },
    [auditId, canEdit, questions, update],
  );

  const change = useCallback(
    (id: string, patch: Partial<Pick<TEntry, "raw" | "note">>, commit: boolean) => {
      update(id, (cur) => ({ ...cur, ...patch, status: cur.status === "conflict" ? "conflict" : "dirty" }));
      if (commit) {
        clearTimeout(timers.current.get(id));
        timers.current.set(
          id,
          setTimeout(() => void save(id), CHOICE_SAVE_DELAY_MS),
        );
      }
    },
    [save, update],
  );

  // Leaving the section (client navigation) saves what is still waiting for its delay.
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const id of [...pending.keys()]) void save(id);
    };
  }, [save]);

  const resolveConflict = useCallback(
    (id: string, keep: "mine" | "theirs") => {
      const question = questions.get(id)!;
      const current = entriesRef.current[id]!.conflict ?? null;
      if (keep === "theirs") {
        update(id, () => ({ ...entryFrom(question, current), status: "saved" }));
      } else {
        // Mine, on top of theirs: the next save is based on their revision.
        update(id, (cur) => ({ ...cur, saved: current, conflict: undefined, status: "dirty" }));
        void save(id);
      }
    },
    [questions, save, update],
  );

  // Warn before leaving the page with changes that are not saved yet.
  useEffect(() => {
    const onBeforeUnload = (ev: BeforeUnloadEvent) => {
      const unsaved = Object.entries(entriesRef.current).some(([id, e]) => e.status === "saving" || isDirty(questions.get(id)!, e));
      if (unsaved) ev.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [questions]);

  const sectionIndex = questionnaire.sections.findIndex((s) => s.id === sectionId);
  const section = questionnaire.sections[sectionIndex]!;
  const prev = questionnaire.sections[sectionIndex - 1];
  const next = questionnaire.sections[sectionIndex + 1];
  const optionalParts = new Set(questionnaire.parts.filter((p) => !scope[p.optionalUnless]).map((p) => p.id));
  const part = section.part ? questionnaire.parts.find((p) => p.id === section.part) : undefined;
  const overall = percent(progress.overall);
  const navItems = questionnaire.sections.map((s) => ({
    id: s.id,
    title: s.title,
    optional: s.part !== undefined && optionalParts.has(s.part),
    progress: progress.sections[s.id]!,
  }));

  const renderQuestion = (question: TQuestion): React.ReactNode => {
    const state = states.get(question.id);
    if (!state?.visible) return null;
    const visibleFollowUps = question.followUps.filter((f) => states.get(f.id)?.visible);
    return (
      <li key={question.id} className="space-y-3">
        <QuestionCard
          question={question}
          required={state.required}
          entry={entries[question.id]!}
          canEdit={canEdit}
          evidenceTitles={(question.evidence ?? []).map((id) => questionnaire.evidence.find((e) => e.id === id)?.title ?? id)}
          scopeLabel={question.scope ? questionnaire.scopes.find((s) => s.id === question.scope)?.label : undefined}
          onChange={(patch, commit) => change(question.id, patch, commit)}
          onSave={() => void save(question.id)}
          onResolveConflict={(keep) => resolveConflict(question.id, keep)}
        />
        {visibleFollowUps.length > 0 && (
          <ul aria-label={`Follow-up questions to: ${question.text}`} className="ml-4 space-y-3 border-l-2 border-primary/20 pl-4 sm:ml-6">
            {question.followUps.map((f) => renderQuestion(f))}
          </ul>
        )}
      </li>
    );
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
      {/* On small screens the questions come first; the section list follows them. */}
      <aside className="order-last space-y-4 lg:sticky lg:top-4 lg:order-none lg:self-start">
        <div className="space-y-2 rounded-lg border border-border bg-card p-4">
          <p className="text-sm font-medium">Overall</p>
          <Progress value={overall} label="Required questions answered in this audit" />
          <p className="text-xs text-muted-foreground" data-testid="overall-progress">
            {progress.overall.requiredAnswered} of {progress.overall.required} required answered
          </p>
        </div>
        <div className="rounded-lg border border-border bg-card p-2">
          <SectionNav auditId={auditId} sections={navItems} current={sectionId} />
        </div>
      </aside>

      <div className="min-w-0 space-y-6">
        <div className="space-y-2">
          <h1 className="text-2xl font-semibold tracking-tight">{section.title}</h1>
          {section.guidance && (
            <div className="text-sm text-muted-foreground">
              <GuidanceText text={section.guidance} />
            </div>
          )}
          {part && (
            <Alert tone={optionalParts.has(part.id) ? "info" : "warning"}>
              <strong>{part.title}.</strong> {part.guidance}{" "}
              {optionalParts.has(part.id) ? "These questions are optional for this audit." : "They are required for this audit's scope."}
            </Alert>
          )}
          {!canEdit && <Alert tone="info">You can read this audit; only its officers can change the answers.</Alert>}
        </div>

        {section.groups.map((group) => (
          <section key={group.id} aria-labelledby={group.title ? `group-${group.id}` : undefined} className="space-y-3">
            {group.title && (
              <h2 id={`group-${group.id}`} className="text-lg font-semibold">
                {group.title}
              </h2>
            )}
            {group.guidance && <p className="text-sm text-muted-foreground">{group.guidance}</p>}
            <ul className="space-y-3">{group.questions.map((q) => renderQuestion(q))}</ul>
          </section>
        ))}

        <nav aria-label="Previous and next section" className="flex flex-wrap justify-between gap-3 border-t border-border pt-4 [&_a]:h-auto [&_a]:min-h-9 [&_a]:whitespace-normal">
          {prev ? (
            <Button variant="secondary" asChild>
              <Link href={`/audits/${auditId}/sections/${prev.id}`}>
                <ChevronLeft aria-hidden className="size-4" /> {prev.title}
              </Link>
            </Button>
          ) : (
            <Button variant="secondary" asChild>
              <Link href={`/audits/${auditId}`}>
                <ChevronLeft aria-hidden className="size-4" /> Overview
              </Link>
            </Button>
          )}
          {next ? (
            <Button asChild>
              <Link href={`/audits/${auditId}/sections/${next.id}`}>
                {next.title} <ChevronRight aria-hidden className="size-4" />
              </Link>
            </Button>
          ) : (
            <Button asChild>
              <Link href={`/audits/${auditId}`}>
                Back to the overview <ChevronRight aria-hidden className="size-4" />
              </Link>
            </Button>
          )}
        </nav>
      </div>
    </div>
  );
}
