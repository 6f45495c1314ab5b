import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";

/** Marks all of the user's unread notifications read; nobody else's can be touched. */
export async function markNotificationsRead({ user }: { user: TCurrentUser }): Promise<number> {
  const { count } = await getDb().notification.updateMany({ where: { userId: user.id, readAt: null }, data: { readAt: new Date() } });
  return count;
}
