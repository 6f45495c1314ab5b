/**
 * The header and main column of one link's pages: "Assay — <subject>", where the caller names
 * the subject only when the link may say it (valid or merely expired; never unknown or revoked).
 */
export function LinkPageFrame({ subject, children }: { subject: string | null; children: React.ReactNode }) {
  return (
    <>
      <header className="border-b border-border bg-background">
        <div className="mx-auto flex min-h-14 max-w-4xl flex-wrap items-center gap-x-2 px-4 py-2">
          <span className="text-lg font-bold tracking-tight">Assay</span>
          {subject && (
            <>
              <span aria-hidden className="text-muted-foreground">
                —
              </span>
              <span className="font-medium">{subject}</span>
            </>
          )}
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-4xl flex-1 px-4 py-8">
        {children}
      </main>
    </>
  );
}
