/**
 * The outer frame of the pages people reach through a link, without a session (providers'
 * invite links, shared evidence packages): a skip link, the page, and a footer that asks them
 * not to forward the link.
 */
export function LinkPageShell({ footer, children }: { footer: string; children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-2 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow">
        Skip to content
      </a>
      {children}
      <footer className="border-t border-border px-4 py-4 text-center text-xs text-muted-foreground">{footer}</footer>
    </div>
  );
}
