import { lookupSharePage } from "@/lib/evidence/shares/share-page-state";

// The frame of a share link's page: "Assay — <provider> evidence package". The provider is named
// only while the link is valid or merely expired; never for an unknown or revoked one. The
// lookup is shared with the page (cached per request), so the link is looked up and
// rate-limited once.
export default async function ShareLinkLayout({ children, params }: { children: React.ReactNode; params: Promise<{ token: string }> }) {
  const { token } = await params;
  const found = await lookupSharePage(token);
  const providerName = found.kind === "found" && found.share.state !== "revoked" ? found.share.providerName : null;
  return (
    <>
      <header className="border-b border-border bg-background">
        <div className="mx-auto flex min-h-14 max-w-4xl flex-wrap items-center gap-x-2 px-4 py-2">
          <span className="text-lg font-bold tracking-tight">Assay</span>
          {providerName && (
            <>
              <span aria-hidden className="text-muted-foreground">
                —
              </span>
              <span className="font-medium">{providerName} evidence package</span>
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
