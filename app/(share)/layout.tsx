import type { Metadata } from "next";

// Pages for people outside the organisation who were sent a download link for an evidence
// package: no session, no app header, nothing about the signed-in world. The link's token is in
// the address, so no page here sends a Referer anywhere (the meta tag below; next.config.ts
// sends the same as a header for /p/*, with no-store and noindex).
export const metadata: Metadata = {
  title: { default: "Evidence package", template: "%s · Assay" },
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

export default function ShareLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-2 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow">
        Skip to content
      </a>
      {children}
      <footer className="border-t border-border px-4 py-4 text-center text-xs text-muted-foreground">
        Assay — security due diligence. This page was opened through a link shared with you: please do not forward it.
      </footer>
    </div>
  );
}
