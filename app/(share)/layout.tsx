import type { Metadata } from "next";
import { LinkPageShell } from "@/components/layout/link-page-shell";

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
  return <LinkPageShell footer="Assay — security due diligence. This page was opened through a link shared with you: please do not forward it.">{children}</LinkPageShell>;
}
