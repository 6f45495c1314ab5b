import { LinkPageFrame } from "@/components/layout/link-page-frame";
import { lookupSharePage } from "@/lib/evidence/shares/share-page-state";

// The frame of a share link's page: "Assay — <provider> evidence package". The provider is named
// only while the link is valid or merely expired; never for an unknown or revoked one. The
// lookup is shared with the page (cached per request), so the link is looked up and
// rate-limited once.
export default async function ShareLinkLayout({ children, params }: { children: React.ReactNode; params: Promise<{ token: string }> }) {
  const { token } = await params;
  const found = await lookupSharePage(token);
  const providerName = found.kind === "found" && found.share.state !== "revoked" ? found.share.providerName : null;
  return <LinkPageFrame subject={providerName ? `${providerName} evidence package` : null}>{children}</LinkPageFrame>;
}
