"use client";

import Link from "next/link";
import { useMemo } from "react";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { AttachmentUploader } from "@/components/attachments/attachment-uploader";
import { SectionNav } from "@/components/audits/section-nav";
import { AskClarification } from "@/components/clarifications/ask-clarification";
import { describeAnswer } from "@/components/questionnaire/answer-input";
import { AnswerHistory } from "@/components/questionnaire/answer-history";
import { GuidanceText } from "@/components/questionnaire/guidance-text";
import { QuestionCard } from "@/components/questionnaire/question-card";
import { SyncStatus } from "@/components/questionnaire/sync-status";
import { CHOICE_DELAY_MS, TEXT_DELAY_MS, useAnswerSync } from "@/components/questionnaire/use-answer-sync";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import type { TSavedAnswer } from "@/lib/answers/save-answer";
import type { TAttachmentView } from "@/lib/attachments/types";
import { computeProgress, percent } from "@/lib/questionnaires/progress";
import { fromRaw } from "@/lib/questionnaires/raw-value";
import { walkQuestions, type TQuestion, type TQuestionnaire } from "@/lib/questionnaires/schema";
import { computeQuestionStates, type TAnswerValue } from "@/lib/questionnaires/visibility";

interface Props {
  /** The sections this person works on (a provider: only those delegated to them). */
  questionnaire: TQuestionnaire;
  scope: Record<string, boolean>;
  answers: Record<string, TSavedAnswer>;
  sectionId: string;
  canEdit: boolean;
  /** Pages: `${basePath}` is the overview, `${basePath}/sections/<id>` a section. */
  basePath: string;
  /** Answers are PUT to `${saveBase}/<questionId>`. */
  saveBase: string;
  /** Where unsaved edits wait in localStorage: one key per audit and person. */
  storageKey: string;
  /** Officers keep an interview note per question; providers never see it. */
  withNotes: boolean;
  readOnlyMessage?: string;
  /** Members: each answer's saved versions are listed from `${historyBase}/<questionId>/history`. */
  historyBase?: string;
  /** Evidence files on questions that ask for evidence (type "evidence" or linked checklist items). */
  attachments?: { uploadUrl: string; fileBaseUrl: string; byQuestion: Record<string, TAttachmentView[]>; canUpload: boolean; maxFileBytes: number };
  /** Officers: ask the provider for a clarification on a question (open threads per question). */
  clarify?: { auditId: string; openCounts: Record<string, number> };
}

/**
 * One section of a questionnaire, answered interview-style by an officer or by a provider
 * through an invite link. Every change is saved on its own shortly after it is made
 * (use-answer-sync.ts); follow-ups appear and disappear with their parent's answer.
 */
export function QuestionnaireWorkspace({ questionnaire, scope, answers, sectionId, canEdit, basePath, saveBase, storageKey, withNotes, readOnlyMessage, historyBase, attachments, clarify }: Props) {
  const questions = useMemo(() => new Map([...walkQuestions(questionnaire)].map((w) => [w.question.id, w.question])), [questionnaire]);
  const { entries, change, saveNow, resolveConflict, summary, ready } = useAnswerSync({
    questions,
    initial: answers,
    saveUrl: (id) => `${saveBase}/${encodeURIComponent(id)}`,
    storageKey,
    canEdit,
    includeNote: withNotes,
  });

  const values = useMemo(() => {
    const v: Record<string, TAnswerValue> = {};
    for (const [id, e] of Object.entries(entries)) v[id] = fromRaw(questions.get(id)!, e.raw);
    return v;
  }, [entries, questions]);
  const states = useMemo(() => computeQuestionStates(questionnaire, scope, values), [questionnaire, scope, values]);
  const progress = useMemo(() => computeProgress(questionnaire, scope, values), [questionnaire, scope, values]);

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
          withNote={withNotes}
          evidenceTitles={(question.evidence ?? []).map((id) => questionnaire.evidence.find((e) => e.id === id)?.title ?? id)}
          scopeLabel={question.scope ? questionnaire.scopes.find((s) => s.id === question.scope)?.label : undefined}
          onChange={(patch, commit) => change(question.id, patch, commit ? CHOICE_DELAY_MS : TEXT_DELAY_MS)}
          onSave={() => saveNow(question.id)}
          onResolveConflict={(keep) => resolveConflict(question.id, keep)}
          extra={
            <>
              {attachments && (question.type === "evidence" || (question.evidence?.length ?? 0) > 0) && (
                <div className="mt-3">
                  <AttachmentUploader
                    uploadUrl={attachments.uploadUrl}
                    fileBaseUrl={attachments.fileBaseUrl}
                    target={{ questionId: question.id }}
                    initialAttachments={attachments.byQuestion[question.id] ?? []}
                    canUpload={attachments.canUpload}
                    withCertificateFields={question.evidence?.some((e) => e.includes("certificate")) ?? false}
                    maxFileBytes={attachments.maxFileBytes}
                    label={question.text.replaceAll("`", "")}
                  />
                </div>
              )}
              {historyBase && entries[question.id]!.saved && (
                <AnswerHistory url={`${historyBase}/${encodeURIComponent(question.id)}/history`} describe={(v) => describeAnswer(question, v)} />
              )}
              {clarify && <AskClarification auditId={clarify.auditId} questionId={question.id} openCount={clarify.openCounts[question.id] ?? 0} />}
            </>
          }
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
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]" data-autosave={ready ? "ready" : "starting"}>
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
          <SectionNav basePath={basePath} sections={navItems} current={sectionId} />
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
          {!canEdit && readOnlyMessage && <Alert tone="info">{readOnlyMessage}</Alert>}
          {canEdit && <SyncStatus summary={summary} />}
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
              <Link href={`${basePath}/sections/${prev.id}`}>
                <ChevronLeft aria-hidden className="size-4" /> {prev.title}
              </Link>
            </Button>
          ) : (
            <Button variant="secondary" asChild>
              <Link href={basePath}>
                <ChevronLeft aria-hidden className="size-4" /> Overview
              </Link>
            </Button>
          )}
          {next ? (
            <Button asChild>
              <Link href={`${basePath}/sections/${next.id}`}>
                {next.title} <ChevronRight aria-hidden className="size-4" />
              </Link>
            </Button>
          ) : (
            <Button asChild>
              <Link href={basePath}>
                Back to the overview <ChevronRight aria-hidden className="size-4" />
              </Link>
            </Button>
          )}
        </nav>
      </div>
    </div>
  );
}
