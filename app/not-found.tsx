import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg space-y-3 px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-muted-foreground">This page does not exist, or you have no access to it.</p>
      <Link className="text-primary underline" href="/audits">
        Back to your audits
      </Link>
    </main>
  );
}
