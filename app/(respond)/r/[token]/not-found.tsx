import type { Metadata } from "next";
import { InviteNotFound } from "@/components/invites/invite-not-found";

export const metadata: Metadata = { title: "Link not found" };

export default function InviteLinkNotFound() {
  return <InviteNotFound />;
}
