import type { TLinkWords } from "@/lib/invites/too-many-attempts";

/** How the shared-package link's screens speak of it (the invite links' words are the default). */
export const SHARE_LINK_WORDS: TLinkWords = {
  openAgain: "open the download link you were sent again",
  askForHelp: "ask the person who shared the package with you",
};
