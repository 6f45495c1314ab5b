"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/current-user";
import { runAction } from "@/lib/server-action";
import { createInvite, type TIssuedInvite } from "./create-invite";
import { reissueInvite } from "./reissue-invite";
import { reopenInvite } from "./reopen-invite";
import { revokeInvite } from "./revoke-invite";
import type { TCreateInviteInput, TInviteRef, TReissueInviteInput } from "./schemas";

// Thin: the domain operations parse the input and check access themselves.

/** What the panel shows once: the link (it carries the token) and whether it was e-mailed. */
export interface TIssuedLink {
  inviteId: string;
  name: string;
  email: string;
  url: string;
  expiresAt: Date;
  emailed: boolean;
  emailError?: string;
}

function issuedLink(issued: TIssuedInvite): TIssuedLink {
  const { invite, url, emailed, emailError } = issued;
  return { inviteId: invite.id, name: invite.name, email: invite.email, url, expiresAt: invite.expiresAt, emailed, emailError };
}

export async function createInviteAction(input: TCreateInviteInput) {
  return runAction("createInvite", async () => {
    const actor = await requireUser();
    const issued = await createInvite({ actor, input });
    revalidatePath(`/audits/${issued.invite.auditId}`);
    return issuedLink(issued);
  });
}

export async function reissueInviteAction(input: TReissueInviteInput) {
  return runAction("reissueInvite", async () => {
    const actor = await requireUser();
    const issued = await reissueInvite({ actor, input });
    revalidatePath(`/audits/${issued.invite.auditId}`);
    return issuedLink(issued);
  });
}

export async function revokeInviteAction(input: TInviteRef) {
  return runAction("revokeInvite", async () => {
    const actor = await requireUser();
    const revoked = await revokeInvite({ actor, input });
    revalidatePath(`/audits/${input.auditId}`);
    return revoked;
  });
}

export async function reopenInviteAction(input: TInviteRef) {
  return runAction("reopenInvite", async () => {
    const actor = await requireUser();
    const reopened = await reopenInvite({ actor, input });
    revalidatePath(`/audits/${input.auditId}`);
    return reopened;
  });
}
