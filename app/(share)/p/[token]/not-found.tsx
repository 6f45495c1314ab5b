import type { Metadata } from "next";
import { ShareNotFound } from "@/components/evidence/share-link-states";

export const metadata: Metadata = { title: "Link not found" };

export default function ShareLinkNotFound() {
  return <ShareNotFound />;
}
