"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/current-user";
import { runAction } from "@/lib/server-action";
import { markNotificationsRead } from "./mark-notifications-read";

export async function markNotificationsReadAction() {
  return runAction("markNotificationsRead", async () => {
    const user = await requireUser();
    const count = await markNotificationsRead({ user });
    revalidatePath("/", "layout");
    return { count };
  });
}
