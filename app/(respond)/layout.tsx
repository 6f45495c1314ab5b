import type { Metadata } from "next";
import { LinkPageShell } from "@/components/layout/link-page-shell";

// Pages for provider contacts who answer through an invite link: no session, no app header.
// The link's token is in the address, so no page here sends a Referer anywhere (the meta tag
// below; next.config.ts sends the same as a header for /r/*).
export const metadata: Metadata = {
  title: { default: "Security questionnaire", template: "%s · Assay" },
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

export default function RespondLayout({ children }: { children: React.ReactNode }) {
  return <LinkPageShell footer="Assay — security due diligence. You opened this page through a personal link: please do not forward it.">{children}</LinkPageShell>;
}
