import type { Metadata } from "next";
import Link from "next/link";
import { Bell } from "lucide-react";
import { MarkReadButton } from "@/components/notifications/mark-read-button";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { requireUserOrRedirect } from "@/lib/auth/current-user";
import { formatDateTime } from "@/lib/format";
import { listNotifications } from "@/lib/notifications/list-notifications";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const user = await requireUserOrRedirect("/notifications");
  const { items, unread } = await listNotifications({ user });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
        {unread > 0 && <MarkReadButton />}
      </div>
      {items.length === 0 ? (
        <Card className="flex flex-col items-center gap-3 px-6 py-12 text-center">
          <Bell aria-hidden className="size-8 text-muted-foreground" />
          <p className="text-sm text-muted-foreground">Nothing yet. You are told here when a provider submits their answers.</p>
        </Card>
      ) : (
        <Card>
          <ul className="divide-y divide-border">
            {items.map((n) => (
              <li key={n.id} className="flex items-start justify-between gap-4 px-5 py-4 text-sm">
                <div className="space-y-1">
                  <p className={n.readAt ? "text-muted-foreground" : "font-medium"}>
                    {n.auditId ? (
                      <Link href={`/audits/${n.auditId}`} className="hover:underline">
                        {n.message}
                      </Link>
                    ) : (
                      n.message
                    )}
                  </p>
                  <time className="block text-xs text-muted-foreground" dateTime={n.createdAt.toISOString()}>
                    {formatDateTime(n.createdAt)}
                  </time>
                </div>
                {!n.readAt && <Badge>New</Badge>}
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
