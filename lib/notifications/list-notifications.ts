import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";

/** A user's newest notifications (their own only), with how many are unread. */
export async function listNotifications({ user, limit = 50 }: { user: TCurrentUser; limit?: number }) {
  const db = getDb();
  const [items, unread] = await Promise.all([
    db.notification.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "desc" },
      take: Math.min(Math.max(limit, 1), 200),
      select: { id: true, auditId: true, kind: true, message: true, createdAt: true, readAt: true },
    }),
    db.notification.count({ where: { userId: user.id, readAt: null } }),
  ]);
  return { items, unread };
}

export async function countUnreadNotifications({ user }: { user: TCurrentUser }): Promise<number> {
  return getDb().notification.count({ where: { userId: user.id, readAt: null } });
}
