"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

/** A main-navigation link that tells sighted and screen-reader users where they are. */
export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const current = usePathname().startsWith(href);
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={cn("rounded-md px-2 py-1 hover:text-foreground", current ? "font-medium text-foreground" : "text-muted-foreground")}
    >
      {children}
    </Link>
  );
}
