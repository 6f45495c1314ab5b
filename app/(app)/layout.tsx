import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-in-button";
import { DemoBanner } from "@/components/layout/demo-banner";
import { NavLink } from "@/components/layout/nav-link";
import { requireUserOrRedirect } from "@/lib/auth/current-user";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { getEnv } from "@/lib/env";
import { countUnreadNotifications } from "@/lib/notifications/list-notifications";

// Pages below check access themselves; this layout only frames them.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUserOrRedirect("/audits");
  const env = getEnv();
  const unread = await countUnreadNotifications({ user });
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-2 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:shadow">
        Skip to content
      </a>
      {env.ASSAY_DEMO && <DemoBanner />}
      <header className="border-b border-border bg-background">
        <div className="mx-auto flex min-h-14 max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2">
          <Link href="/audits" className="text-lg font-bold tracking-tight">
            Assay
          </Link>
          <nav aria-label="Main" className="flex gap-4 text-sm">
            <NavLink href="/audits">Audits</NavLink>
            <NavLink href="/notifications">
              Notifications
              {unread > 0 && (
                <span className="ml-1.5 rounded-full bg-primary px-1.5 py-0.5 text-xs font-medium text-primary-foreground" data-testid="unread-count">
                  {unread}
                  <span className="sr-only"> unread</span>
                </span>
              )}
            </NavLink>
            <NavLink href="/verify">Verify a package</NavLink>
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-right leading-tight">
              <span className="block font-medium">{user.name ?? user.email}</span>
              <span className="block text-xs text-muted-foreground">
                {user.roles.length ? user.roles.map((r) => ROLE_LABELS[r]).join(", ") : "No role"}
              </span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
        {children}
      </main>
    </div>
  );
}
