import { LinkPageFrame } from "@/components/layout/link-page-frame";
import { lookupInvitePage } from "@/lib/invites/invite-page-state";

// The frame of every page of one link: "Assay — <provider> audit". The provider is named only
// while the link is valid or merely expired; never for an unknown or revoked one. The lookup is
// shared with the page (cached per request), so the link is looked up and rate-limited once.
export default async function InviteLinkLayout({ children, params }: { children: React.ReactNode; params: Promise<{ token: string }> }) {
  const { token } = await params;
  const found = await lookupInvitePage(token);
  const providerName = found.kind === "found" && found.invite.state !== "revoked" ? found.invite.providerName : null;
  return <LinkPageFrame subject={providerName ? `${providerName} audit` : null}>{children}</LinkPageFrame>;
}
