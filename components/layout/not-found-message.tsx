import Link from "next/link";

/** The one "not found" text: also what a non-member sees for an audit, so it gives nothing away. */
export function NotFoundMessage() {
  return (
    <div className="mx-auto max-w-lg space-y-3 py-8 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-muted-foreground">This page does not exist, or you have no access to it.</p>
      <Link className="text-primary underline" href="/audits">
        Back to your audits
      </Link>
    </div>
  );
}
